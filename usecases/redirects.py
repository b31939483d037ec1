"""Former slugs keep answering: the one rule for every detail page of a case, HTML or API."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import UseCase


def former_slug_redirect(slug, url_name):
    """A permanent redirect from a former slug of a published case to `url_name`, else 404.

    `url_name` takes the case's current slug (« usecases:detail », « api:usecase-detail »).
    """
    use_case = UseCase.objects.published().with_former_slug(slug).only("slug").first()
    if use_case is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse(url_name, kwargs={"slug": use_case.slug}))
