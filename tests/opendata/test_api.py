import pytest
from django.urls import reverse

from tests.factories import CollectiviteFactory, UseCaseFactory, theme
from usecases.choices import Status
from usecases.exports import field_names

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/cas-d-usage/"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_list_returns_published_records_paginated(client, rich_case):
    """The list holds published cases only, each with the schema's fields."""
    UseCaseFactory(status=Status.DRAFT)
    UseCaseFactory(status=Status.SUBMITTED)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    [item] = body["results"]
    assert list(item) == list(field_names())
    assert item["title"] == "Détecter les fuites du réseau d’eau potable"
    assert item["url"] == f"http://testserver/cas-d-usage/{rich_case.slug}/"


def test_detail_by_slug(client, rich_case):
    """A published case is found by its slug; the record is the export's."""
    response = client.get(f"{LIST_URL}{rich_case.slug}/")
    assert response.status_code == 200
    assert response.json()["slug"] == rich_case.slug
    assert response.json()["partners"] == ["Saint-Étienne-en-Coglès"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.REJECTED])
def test_detail_of_unpublished_case_is_404_json(client, status):
    """An unpublished case does not exist for the API."""
    use_case = UseCaseFactory(status=status)
    response = client.get(f"{LIST_URL}{use_case.slug}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_contact_without_consent_is_hidden(client):
    UseCaseFactory(published=True, contact_email="prive@example.org", contact_role="DSI")
    [item] = client.get(LIST_URL).json()["results"]
    assert item["contact_email"] == ""
    assert item["contact_role"] == ""
    assert "author" not in item and "status" not in item


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"stade": "deployment"},
        {"stade": ["deployment", "idea"], "tri": "titre"},
        {"theme": "mobilites"},
        {"technique": "ia-generative"},
        {"hebergement": "on_premise", "realisation": "open_source"},
        {"mot_cle": "eau"},
        {"annee": "2023"},
        {"region": "53", "type": "commune"},
        {"q": "vélos"},
        {"q": "tournées", "tri": "pertinence"},
        {"page": "2"},
    ],
)
def test_api_and_html_list_give_the_same_cases(client, params):
    """For the same parameters the API and /cas-d-usage/ return the same cases, same order."""
    UseCaseFactory.create_batch(21, published=True)
    UseCaseFactory(published=True, stage="deployment", title="Compter les vélos", start_year=2023)
    UseCaseFactory(
        published=True,
        stage="idea",
        title="Optimiser les tournées",
        hosting="on_premise",
        build_mode="open_source",
        techniques=["ia-generative"],
        tags=["eau"],
        theme=theme("mobilites"),
    )
    html = client.get(reverse("usecases:list"), params)
    api = client.get(LIST_URL, params)
    assert html.status_code == api.status_code == 200
    expected = [use_case.slug for use_case in html.context["page_obj"].object_list]
    assert slugs(api) == expected
    assert api.json()["count"] == html.context["page_obj"].paginator.count


@pytest.mark.parametrize(
    "params",
    [
        {"stade": "inconnu"},
        {"theme": "pas-un-theme"},
        {"region": "999"},
        {"departement": "ZZ"},
        {"type": "empire"},
        {"technique": "magie"},
        {"hebergement": "lune"},
        {"realisation": "?"},
        {"mot_cle": "n-existe-pas"},
        {"annee": "1200"},
        {"tri": "prix"},
        {"q": "x" * 201},
    ],
)
def test_unknown_filter_values_give_400_with_json_errors(client, params):
    """Bad criteria answer 400 with the FilterSet's French messages, per parameter."""
    response = client.get(LIST_URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Les paramètres de filtre ne sont pas valides."
    assert set(body["errors"]) == set(params)
    assert all(
        isinstance(message, str) for messages in body["errors"].values() for message in messages
    )


def test_page_size_is_capped_at_100(client):
    """page_size=100000 gives 100 results; the default is 20."""
    UseCaseFactory.create_batch(105, published=True)
    assert len(client.get(LIST_URL).json()["results"]) == 20
    assert len(client.get(LIST_URL, {"page_size": "100000"}).json()["results"]) == 100
    assert len(client.get(LIST_URL, {"page_size": "7"}).json()["results"]) == 7


@pytest.mark.parametrize(
    "params, status",
    [
        # A page size that is not a positive number falls back to the default size.
        ({"page_size": "abc"}, 200),
        ({"page_size": "-3"}, 200),
        ({"page_size": "0"}, 200),
        ({"page": "abc"}, 404),
        ({"page": "0"}, 404),
        ({"page": "99"}, 404),
        # Past the 10,000 results the API pages through: 400 with a hint (docs/securite.md).
        ({"page": "9999999999999999999999"}, 400),
        ({"annee": "9" * 40}, 400),
        ({"q": "' OR 1=1 --"}, 200),
        ({"q": "<script>"}, 200),
        ({"stade": ""}, 400),
        ({"format": "xml"}, 404),
        ({"unknown": "ignored"}, 200),
    ],
)
def test_malformed_parameters_never_give_a_server_error(client, params, status):
    """Malformed input gets the status its kind deserves, never a 500, always in JSON."""
    UseCaseFactory(published=True)
    response = client.get(LIST_URL, params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url",
    [LIST_URL, "/api/v1/cas-d-usage/{slug}/", "/api/v1/themes/", "/api/v1/collectivites/"],
)
def test_writes_answer_405(client, method, url):
    """The API is read-only, without CSRF surprises: every write is 405."""
    use_case = UseCaseFactory(published=True)
    response = getattr(client, method)(
        url.format(slug=use_case.slug), data={}, content_type="application/json"
    )
    assert response.status_code == 405
    assert "detail" in response.json()


def test_throttle_answers_429_in_french(client, throttle_rate):
    """Past the per-client rate, 429 with a French JSON message and Retry-After."""
    throttle_rate("3/hour")
    for _ in range(3):
        assert client.get("/api/v1/themes/").status_code == 200
    response = client.get(LIST_URL)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Trop de requêtes")
    assert "Réessayez dans" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_throttle_is_per_client(client, throttle_rate):
    """Another address keeps its own allowance."""
    throttle_rate("1/hour")
    assert client.get(LIST_URL).status_code == 200
    assert client.get(LIST_URL).status_code == 429
    assert client.get(LIST_URL, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize("page_size", [5, 100])
def test_list_queries_are_bounded(client, django_assert_max_catalogue_queries, page_size):
    """At most 12 queries whatever page_size, with every relation filled in (solutions and
    reuse declarations included)."""
    for number in range(40):
        use_case = UseCaseFactory(
            published=True, tags=["eau", f"mot-{number}"], techniques=["optimisation"]
        )
        use_case.partners.set([CollectiviteFactory()])
    with django_assert_max_catalogue_queries(12):
        response = client.get(LIST_URL, {"page_size": page_size, "mot_cle": "eau"})
    assert len(response.json()["results"]) == min(page_size, 40)


def test_old_slug_redirects_to_the_new_detail(client):
    """A published case whose slug changed answers 301 at its former slug."""
    use_case = UseCaseFactory(published=True, slug="ancien-nom")
    use_case.slug = "nouveau-nom"
    use_case.save()
    response = client.get(f"{LIST_URL}ancien-nom/")
    assert response.status_code == 301
    assert response["Location"] == f"{LIST_URL}nouveau-nom/"
    assert client.get(response["Location"]).json()["slug"] == "nouveau-nom"


def test_unknown_api_addresses_answer_json_404(client):
    for url in ("/api/v1/nimporte/", "/api/v1/cas-d-usage/a.b/", "/api/v1/themes/inconnu/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url


def test_themes_with_published_counts(client):
    """The six themes, in their order, with published counts only."""
    UseCaseFactory(published=True, theme=theme("mobilites"))
    UseCaseFactory(status=Status.DRAFT, theme=theme("mobilites"))
    body = client.get("/api/v1/themes/").json()
    assert len(body) == 6
    assert body[0]["slug"] == "transition-ecologique-et-energetique"
    counts = {item["slug"]: item["published_count"] for item in body}
    assert counts["mobilites"] == 1
    detail = client.get("/api/v1/themes/mobilites/").json()
    assert detail["feed_url"] == "http://testserver/themes/mobilites/flux.xml"


def test_collectivites_list_search_and_detail(client):
    """By default those with published cases; `toutes` for all; `q` searches; public fields."""
    rennes = CollectiviteFactory(name="Rennes", code="35238", siren="213502388")
    CollectiviteFactory(name="Rennes-le-Château", code="11309")
    UseCaseFactory(published=True, collectivite=rennes)
    UseCaseFactory(status=Status.DRAFT, collectivite=rennes)
    body = client.get("/api/v1/collectivites/").json()
    assert [item["slug"] for item in body["results"]] == [rennes.slug]
    assert body["results"][0]["published_count"] == 1
    everything = client.get("/api/v1/collectivites/", {"q": "rennes", "toutes": "true"}).json()
    assert everything["count"] == 2
    by_code = client.get("/api/v1/collectivites/", {"q": "35238"}).json()
    assert [item["name"] for item in by_code["results"]] == ["Rennes"]
    detail = client.get(f"/api/v1/collectivites/{rennes.slug}/").json()
    assert detail["siren"] == "213502388"
    assert detail["region_name"] == "Bretagne"
    assert "search_name" not in detail


def test_collectivites_bad_search_gives_400(client):
    response = client.get("/api/v1/collectivites/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_api_root_and_openapi_schema(client):
    """/api/v1/ lists the entry points; the OpenAPI schema documents 400, 404 and 429."""
    assert client.get("/api/v1/").json()["usecase-list"] == "http://testserver/api/v1/cas-d-usage/"
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/cas-d-usage/"]["get"]
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    assert {"q", "theme", "stade", "tri", "page", "page_size"} <= {
        parameter["name"] for parameter in operation["parameters"]
    }
    assert set(schema["paths"]) == {
        "/api/v1/cas-d-usage/",
        "/api/v1/cas-d-usage/{slug}/",
        "/api/v1/cas-d-usage/{slug}/historique/",
        "/api/v1/themes/",
        "/api/v1/themes/{slug}/",
        "/api/v1/collectivites/",
        "/api/v1/collectivites/{slug}/",
    }
