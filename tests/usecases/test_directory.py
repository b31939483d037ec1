"""The collectivités directory: filters, French order, partners counted, French numbers."""

import pytest
from django.urls import reverse

from tests.factories import (
    CollectiviteFactory,
    DepartementFactory,
    RegionFactory,
    UseCaseFactory,
)

pytestmark = pytest.mark.django_db


def names(response):
    return [c.name for c in response.context["page_obj"].object_list]


@pytest.fixture
def directory():
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine")
    gard = DepartementFactory(
        code="30", name="Gard", region=RegionFactory(code="76", name="Occitanie")
    )
    rennes = CollectiviteFactory(name="Rennes", code="35238", departement=ille)
    nimes = CollectiviteFactory(name="Nîmes", code="30189", departement=gard)
    numerian = CollectiviteFactory(
        name="Numérian", kind="autre", code="", departement=ille, population=None
    )
    idf = CollectiviteFactory(
        name="Île-de-France", kind="region", code="11", departement=None, region=ille.region
    )
    case = UseCaseFactory(published=True, collectivite=numerian)
    case.partners.set([rennes, nimes])
    UseCaseFactory(published=True, collectivite=idf)
    UseCaseFactory(published=True, collectivite=nimes)
    draft = UseCaseFactory(status="draft", collectivite=rennes)
    draft.partners.set([idf])
    return {"ille": ille, "gard": gard, "rennes": rennes, "nimes": nimes}


def test_partners_are_listed_and_counted(client, directory):
    response = client.get(reverse("collectivites:list"))
    listed = {c.name: (c.led_count, c.partner_count) for c in response.context["page_obj"]}
    assert listed == {
        "Nîmes": (1, 1),
        "Numérian": (1, 0),
        "Île-de-France": (1, 0),
        "Rennes": (0, 1),
    }
    content = response.content.decode()
    assert "partenaire de 1 cas d’usage" in content


def test_names_sort_in_french_order_among_equal_counts(client, directory):
    response = client.get(reverse("collectivites:list"))
    assert names(response) == ["Nîmes", "Île-de-France", "Numérian", "Rennes"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "region"}, ["Île-de-France"]),
        ({"type": "commune"}, ["Nîmes", "Rennes"]),
        ({"departement": "35"}, ["Numérian", "Rennes"]),
        ({"departement": "30", "type": "commune"}, ["Nîmes"]),
    ],
)
def test_filters(client, directory, params, expected):
    assert names(client.get(reverse("collectivites:list"), params)) == expected


def test_region_filter(client, directory):
    region = directory["gard"].region
    response = client.get(reverse("collectivites:list"), {"region": region.code})
    assert names(response) == ["Nîmes"]


def test_unknown_choice_is_a_french_400(client, directory):
    response = client.get(reverse("collectivites:list"), {"type": "pays"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_region_choices_follow_french_order(client, directory):
    form = client.get(reverse("collectivites:list")).context["form"]
    labels = [label for _code, label in form.fields["region"].choices][1:]
    assert labels == sorted(labels, key=lambda label: label.lower().replace("î", "i"))
    assert form.fields["region"].choices[0][1] == "Toutes les régions"


def test_population_is_written_the_french_way(client):
    collectivite = CollectiviteFactory(name="Bourgoin-Jallieu", population=38324)
    content = client.get(collectivite.get_absolute_url()).content.decode()
    assert "38\xa0324 habitants" in content  # Django's French format: a no-break space


def test_every_collectivite_with_filters_and_counts_in_few_queries(
    client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("collectivites:list"), {"toutes": "on", "type": "commune"})
    assert names(response)[:2] == ["Nîmes", "Rennes"]
