"""« Nous aussi »: permissions, one per collectivité and case, withdraw, hide, display."""

import threading

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import CollectiviteFactory, UseCaseFactory, contributor
from tests.mutualisation.factories import DeclarationFactory, SolutionFactory
from usecases.mutualisation import services
from usecases.mutualisation.models import ReuseDeclaration

pytestmark = pytest.mark.django_db

VALID = {"kind": "adopted", "year": "2025", "note": "Repris avec le même éditeur.", "url": ""}


@pytest.fixture
def case():
    return UseCaseFactory(published=True, title="Détecter les fuites d’eau")


@pytest.fixture
def reuser(db):
    return contributor(collectivite=CollectiviteFactory(name="Muret"))


def declare_url(use_case):
    return reverse("reuse:declare", args=[use_case.slug])


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.post(declare_url(case), VALID)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert not ReuseDeclaration.objects.exists()


def test_contributor_declares_for_their_own_collectivite_only(client, case, reuser):
    other = CollectiviteFactory(name="Ailleurs")
    client.force_login(reuser)
    response = client.post(
        declare_url(case),
        {**VALID, "collectivite": other.pk, "author": 999, "hidden_at": "", "use_case": 1},
    )
    assert response.status_code == 302
    declaration = ReuseDeclaration.objects.get()
    # Mass assignment ignored: the collectivité and the author come from the account.
    assert declaration.collectivite == reuser.contributor_profile.collectivite
    assert declaration.author == reuser
    assert declaration.use_case == case
    assert declaration.hidden_at is None


def test_a_second_declaration_updates_the_first(client, case, reuser):
    client.force_login(reuser)
    client.post(declare_url(case), VALID)
    client.post(declare_url(case), {**VALID, "kind": "stopped", "year": "2026"})
    declaration = ReuseDeclaration.objects.get()
    assert (declaration.kind, declaration.year) == ("stopped", 2026)


def test_the_database_refuses_two_declarations_for_one_collectivite(case, reuser):
    collectivite = reuser.contributor_profile.collectivite
    DeclarationFactory(use_case=case, collectivite=collectivite)
    with pytest.raises(IntegrityError):
        DeclarationFactory(use_case=case, collectivite=collectivite)


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_creates_one_declaration():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL.")
    use_case = UseCaseFactory(published=True)
    user = contributor()
    barrier = threading.Barrier(2)
    errors = []

    def submit():
        try:
            barrier.wait()
            services.declaration_save(use_case=use_case, user=user, kind="adopted", year=2025)
        except Exception as error:  # noqa: BLE001 — the test reports any failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ReuseDeclaration.objects.count() == 1


def test_own_collectivite_cannot_declare_its_own_case(client, reuser):
    own = UseCaseFactory(published=True, collectivite=reuser.contributor_profile.collectivite)
    client.force_login(reuser)
    response = client.post(declare_url(own), VALID)
    assert response.status_code == 302
    assert not ReuseDeclaration.objects.exists()


def test_unpublished_cases_cannot_be_declared(client, reuser):
    draft = UseCaseFactory(status="draft")
    client.force_login(reuser)
    assert client.get(declare_url(draft)).status_code == 404
    assert client.post(declare_url(draft), VALID).status_code == 404


def test_invalid_input_is_a_400_with_the_form_kept(client, case, reuser):
    client.force_login(reuser)
    response = client.post(
        declare_url(case), {**VALID, "kind": "nope", "year": "1800", "url": "http://x.org"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"kind", "year", "url"}
    assert "Repris avec le même éditeur." in response.content.decode()


def test_solution_choices_are_the_sheets_solutions(client, case, reuser):
    own = SolutionFactory(name="Leakmited", cases=[case])
    foreign = SolutionFactory(name="Autre")
    client.force_login(reuser)
    response = client.post(declare_url(case), {**VALID, "solution": foreign.pk})
    assert response.status_code == 400
    client.post(declare_url(case), {**VALID, "solution": own.pk})
    assert ReuseDeclaration.objects.get().solution == own


def test_author_withdraws_but_not_another_collectivite(client, case, reuser):
    mine = DeclarationFactory(
        use_case=case, collectivite=reuser.contributor_profile.collectivite, author=reuser
    )
    theirs = DeclarationFactory(use_case=case)
    client.force_login(reuser)
    url = reverse("reuse:withdraw", args=[case.slug, theirs.pk])
    assert client.post(url).status_code == 404
    assert client.get(reverse("reuse:withdraw", args=[case.slug, mine.pk])).status_code == 405
    assert client.post(reverse("reuse:withdraw", args=[case.slug, mine.pk])).status_code == 302
    assert list(ReuseDeclaration.objects.all()) == [theirs]


def test_withdraw_through_another_case_is_a_404(client, reuser):
    mine = DeclarationFactory(collectivite=reuser.contributor_profile.collectivite, author=reuser)
    client.force_login(reuser)
    elsewhere = UseCaseFactory(published=True)
    assert client.post(reverse("reuse:withdraw", args=[elsewhere.slug, mine.pk])).status_code == 404


def test_moderator_hides_a_declaration(client, mod, case):
    declaration = DeclarationFactory(use_case=case, collectivite__name="Fausse commune")
    assert "Fausse commune" in client.get(case.get_absolute_url()).content.decode()
    client.force_login(mod)
    response = client.post(
        reverse("admin:reuse_reusedeclaration_changelist"),
        {"action": "hide", "_selected_action": [declaration.pk]},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.hidden_by == mod
    client.logout()
    assert "Fausse commune" not in client.get(case.get_absolute_url()).content.decode()


def test_contributor_cannot_use_the_admin_to_hide(client, case, reuser):
    declaration = DeclarationFactory(use_case=case)
    client.force_login(reuser)
    client.post(
        reverse("admin:reuse_reusedeclaration_changelist"),
        {"action": "hide", "_selected_action": [declaration.pk]},
    )
    declaration.refresh_from_db()
    assert declaration.hidden_at is None


def test_sheet_groups_declarations_by_kind_and_escapes_html(client, case):
    DeclarationFactory(use_case=case, kind="adopted", collectivite__name="Ville A")
    DeclarationFactory(use_case=case, kind="considering", collectivite__name="Ville B")
    DeclarationFactory(
        use_case=case, kind="stopped", collectivite__name="Ville C", note="<script>x</script>"
    )
    response = client.get(case.get_absolute_url())
    groups = [
        (kind, [d.collectivite.name for d in ds])
        for kind, _t, ds in response.context["reuse_groups"]
    ]
    assert groups == [
        ("adopted", ["Ville A"]),
        ("considering", ["Ville B"]),
        ("stopped", ["Ville C"]),
    ]
    content = response.content.decode()
    assert "Aussi mis en place par" in content
    assert "<script>x</script>" not in content and "&lt;script&gt;x&lt;/script&gt;" in content


def test_declaration_rate_is_limited_per_client(client, case, settings):
    settings.REUSE_DECLARATION_RATE = "2/h"
    user = contributor()
    client.force_login(user)
    codes = [client.post(declare_url(case), VALID).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_declaration_rate_is_counted_per_client_behind_the_proxy(case, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REUSE_DECLARATION_RATE = "1/h"
    users = [contributor() for _ in range(3)]
    clients = []
    for user, forwarded in zip(
        users, ["198.51.100.7", "10.1.1.1, 198.51.100.7", "203.0.113.9"], strict=True
    ):
        browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        browser.force_login(user)
        clients.append(browser)
    codes = [browser.post(declare_url(case), VALID).status_code for browser in clients]
    assert codes == [302, 429, 302]
    again = clients[1].post(declare_url(case), VALID)
    assert "Trop de déclarations envoyées" in again.content.decode()


def test_sheet_queries_with_declarations_are_bounded(client, case, django_assert_max_num_queries):
    solution = SolutionFactory(cases=[case])
    for _ in range(10):
        DeclarationFactory(use_case=case, solution=solution)
    with django_assert_max_num_queries(10):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_list_cards_count_visible_declarations(client, case, django_assert_max_num_queries):
    DeclarationFactory.create_batch(2, use_case=case)
    DeclarationFactory(use_case=case, hidden_at="2026-01-01T00:00Z")
    UseCaseFactory(published=True, title="Jamais repris")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("usecases:list"))
    counts = {c.title: c.reuse_count for c in response.context["page_obj"].object_list}
    assert counts == {"Détecter les fuites d’eau": 2, "Jamais repris": 0}
    assert "repris par 2 autres collectivités" in response.content.decode()


def test_open_data_lists_solutions_and_adopters_as_data(client, case):
    SolutionFactory(name="Leakmited", cases=[case])
    DeclarationFactory(use_case=case, collectivite__name="<b>Muret</b>", kind="adopted")
    DeclarationFactory(use_case=case, collectivite__name="Envisage", kind="considering")
    DeclarationFactory(use_case=case, collectivite__name="Masquée", hidden_at="2026-01-01T00:00Z")
    record = client.get(reverse("api:usecase-detail", args=[case.slug])).json()
    assert record["solutions"] == ["Leakmited"]
    assert record["reused_by"] == ["<b>Muret</b>"]  # JSON data, not HTML
    response = client.get("/donnees/cas-d-usage.csv")
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '"[""<b>Muret</b>""]"' in csv_text
    schema = client.get("/donnees/schema/cas-d-usage.json").json()
    assert schema["version"] == "1.2.0"


def test_declaration_form_queries_are_bounded(client, case, reuser, django_assert_max_num_queries):
    SolutionFactory.create_batch(3, cases=[case])
    client.force_login(reuser)
    # Session and user, the profile, the case, its partners, the existing declaration, the
    # solutions offered (eight on SQLite, nine on PostgreSQL).
    with django_assert_max_num_queries(9):
        assert client.get(declare_url(case)).status_code == 200
