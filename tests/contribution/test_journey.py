"""The whole contribution journey, end to end, as the issue describes it."""

import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.contribution.test_resources import PDF
from tests.factories import CollectiviteFactory
from usecases.models import UseCase

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://[^/\s]+(/[^\s]+)", message.body).group(1)


def test_contribution_journey(mod, complete_data, django_capture_on_commit_callbacks):
    CollectiviteFactory(name="Sicoval", kind="ca", code="243100633", population=80000)
    contributor = Client()
    moderator = Client()
    moderator.force_login(mod)
    public = Client()

    def committed(client):
        """Run each request's on_commit callbacks (e-mails) as a real commit would."""

        class Wrapped:
            def post(self, *args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return client.post(*args, **kwargs)

            def __getattr__(self, name):
                return getattr(client, name)

        return Wrapped()

    contributor, moderator = committed(contributor), committed(moderator)

    # Sign up, verify, log in.
    contributor.post(
        reverse("account_signup"),
        {
            "first_name": "Louise",
            "last_name": "Durand",
            "email": "louise.durand@sicoval.fr",
            "password1": "une-phrase-de-passe-solide",
            "password2": "une-phrase-de-passe-solide",
            "collectivite_query": "Sicoval",
        },
    )
    confirm = link_in(mail.outbox[-1])
    assert contributor.post(confirm).status_code == 302
    contributor.logout()
    contributor.post(
        reverse("account_login"),
        {"login": "louise.durand@sicoval.fr", "password": "une-phrase-de-passe-solide"},
    )
    assert contributor.get(reverse("usecases:my_contributions")).status_code == 200

    # Draft, a link and a PDF, submit.
    contributor.post(
        reverse("usecases:create"),
        {"title": complete_data["title"], "action": "draft", "creation_key": uuid.uuid4()},
    )
    use_case = UseCase.objects.get()
    resources = reverse("usecases:resources", args=[use_case.pk])
    contributor.post(
        resources, {"title": "Article", "kind": "article", "url": "https://example.org/a"}
    )
    contributor.post(
        resources,
        {
            "title": "Délibération",
            "kind": "deliberation",
            "file": SimpleUploadedFile("d.pdf", PDF),
        },
    )
    edit = reverse("usecases:edit", args=[use_case.pk])
    assert contributor.post(edit, {**complete_data, "action": "submit"}).status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == "submitted"
    assert mail.outbox[-1].to == [mod.email]

    # The moderator asks for changes; the contributor edits and resubmits.
    decision = reverse("admin:usecases_submission_change", args=[use_case.pk])
    moderator.post(decision, {"decision": "request_changes", "message": "Ajoutez un chiffre."})
    assert "Ajoutez un chiffre." in mail.outbox[-1].body
    listing = contributor.get(reverse("usecases:my_contributions")).content.decode()
    assert "Modifications demandées" in listing and "Ajoutez un chiffre." in listing
    resubmit = {
        **complete_data,
        "results": "12 fuites trouvées en deux semaines.",
        "action": "submit",
    }
    assert contributor.post(edit, resubmit).status_code == 302

    # Published: public and searchable, with its document downloadable.
    moderator.post(decision, {"decision": "publish", "message": ""})
    use_case.refresh_from_db()
    assert use_case.status == "published"
    assert public.get(use_case.get_absolute_url()).status_code == 200
    found = public.get(reverse("usecases:list"), {"q": "fuites"}).context["page_obj"]
    assert use_case in list(found)
    document = use_case.resources.get(kind="deliberation")
    download = public.get(reverse("usecases:resource_download", args=[document.pk]))
    assert download.status_code == 200

    # An update: the public sheet is unchanged until accepted.
    revision_url = reverse("usecases:revision", args=[use_case.pk])
    contributor.post(
        revision_url,
        {
            **complete_data,
            "stage": "stopped",
            "end_year": "2026",
            "lessons_learned": "Arrêté faute de données fiables.",
            "action": "submit",
        },
    )
    assert "Arrêté faute" not in public.get(use_case.get_absolute_url()).content.decode()
    revision = use_case.revisions.get()
    moderator.post(
        reverse("admin:usecases_usecaserevision_change", args=[revision.pk]),
        {"decision": "publish", "message": ""},
    )
    assert "Arrêté faute" in public.get(use_case.get_absolute_url()).content.decode()
