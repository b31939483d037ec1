"""A collectivité's page: its reuses, who reuses it, its département and région, neighbours."""

import pytest

from tests.factories import CollectiviteFactory, DepartementFactory, UseCaseFactory
from tests.mutualisation.factories import DeclarationFactory

pytestmark = pytest.mark.django_db


def test_collectivite_page_shows_reuse_and_what_is_done_near_it(
    client, django_assert_max_num_queries
):
    here = CollectiviteFactory(name="Muret")
    same_departement = CollectiviteFactory(name="Colomiers")
    other_departement = CollectiviteFactory(
        name="Albi", departement=DepartementFactory(code="81", name="Tarn")
    )
    elsewhere = CollectiviteFactory(
        name="Lille",
        departement=DepartementFactory(
            code="59", name="Nord", region__code="32", region__name="HdF"
        ),
    )
    own = UseCaseFactory(published=True, collectivite=here, title="Notre projet")
    near = UseCaseFactory(published=True, collectivite=same_departement, title="Projet voisin")
    regional = UseCaseFactory(
        published=True, collectivite=other_departement, title="Projet tarnais"
    )
    far = UseCaseFactory(published=True, collectivite=elsewhere, title="Projet lillois")
    UseCaseFactory(collectivite=same_departement, title="Brouillon voisin")
    DeclarationFactory(use_case=far, collectivite=here, kind="considering")
    DeclarationFactory(use_case=own, collectivite=elsewhere)
    DeclarationFactory(use_case=regional, collectivite=same_departement)
    with django_assert_max_num_queries(12):
        response = client.get(here.get_absolute_url())
    context = response.context
    assert [d.use_case for d in context["reused_here"]] == [far]
    assert [d.collectivite for d in context["reused_elsewhere"]] == [elsewhere]
    assert context["departement_cases"] == [near]
    assert context["region_cases"] == [regional]
    assert [d.collectivite for d in context["neighbours_reuse"]] == [same_departement]
    content = response.content.decode()
    assert "Ce que nous avons repris d’autres collectivités" in content
    assert "Brouillon voisin" not in content
