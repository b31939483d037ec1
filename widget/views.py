"""« Intégrer » : the latest cases of a theme or of any filtered list, on another site.

`/integrer/liste/?<criteria of a list>` is a minimal page (no script, no cookie, a few kB) that
other sites may frame: only this route allows framing; every other page keeps
`frame-ancestors 'none'` and `X-Frame-Options: DENY`. `/integrer/` builds the HTML to paste,
with the matching Atom feed and a preview. The criteria go through the catalogue's filters.
"""

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from bibliotheque.site import absolute_url
from usecases.listing import PARAMETERS, Listing
from usecases.models import Theme, UseCase

# The only routes other sites may frame (tests/security/test_headers.py checks every other).
FRAMABLE = {"widget:embed"}
# Cases shown in a widget.
WIDGET_SIZE = 10
# Parameters of a list URL that a widget keeps (sorting and paging are the widget's own).
IGNORED = {"tri", "page"}
EMBED_FIELDS = ["title", "slug", "published_at", "collectivite__name"]


def _criteria(query):
    names = set(PARAMETERS) - IGNORED
    result = QueryDict(mutable=True)
    for name, values in sorted(query.lists()):
        if name in names:
            for value in values:
                if value.strip():
                    result.appendlist(name, value.strip())
    return result


def _filterset(criteria):
    """The catalogue engine's listing for these criteria (usecases.listing)."""
    return Listing(criteria)


def _title(filterset):
    slugs = filterset.selected("theme")
    names = dict(Theme.objects.filter(slug__in=slugs).values_list("slug", "name"))
    chosen = [names.get(slug, slug) for slug in slugs]
    for name in ("collectivite", "solution"):  # Named by the index (labels or referential).
        names = {
            **filterset.index.labels.get(name, {}),
            **dict(filterset.index.reference.get(name, [])),
        }
        chosen += [names.get(slug, slug) for slug in filterset.selected(name)]
    if chosen:
        return _("Cas d’usage de l’IA : %(themes)s") % {"themes": ", ".join(chosen)}
    return _("Cas d’usage de l’IA dans les collectivités")


@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["*"]})
def embed(request):
    """The framed page: the latest matching cases, links opening the sheets, the credit."""
    criteria = _criteria(request.GET)
    filterset = _filterset(criteria)
    if not filterset.is_valid():
        context = {"errors": filterset.errors, "site_url": absolute_url("/")}
        return render(request, "widget/embed.html", context, status=400)
    cases = [
        (case, absolute_url(case.get_absolute_url()))
        for case in filterset.queryset(UseCase.objects.published())
        .select_related("collectivite")
        .only(*EMBED_FIELDS)
        .order_by("-published_at", "-pk")[:WIDGET_SIZE]
    ]
    list_path = reverse("usecases:list")
    context = {
        "cases": cases,
        "title": _title(filterset),
        "list_url": absolute_url(f"{list_path}?{criteria.urlencode()}" if criteria else list_path),
        "site_url": absolute_url("/"),
    }
    return render(request, "widget/embed.html", context)


class BuilderForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Tous les thèmes"),
    )


@csp_override({**settings.SECURE_CSP, "frame-src": [CSP.SELF]})
def builder(request):
    """Choose a theme, or come from a filtered list, and get the HTML to paste and the feed."""
    criteria = _criteria(request.GET)
    filterset = _filterset(criteria)
    form = BuilderForm(request.GET or None)
    if not filterset.is_valid() or (form.is_bound and not form.is_valid()):
        return render(
            request,
            "widget/builder.html",
            {"form": form, "errors": filterset.errors or form.errors},
            status=400,
        )
    query = criteria.urlencode()
    embed_path = reverse("widget:embed") + (f"?{query}" if query else "")
    feed_path = reverse("opendata:feed") + (f"?{query}" if query else "")
    widget_title = f"{_title(filterset)} — {settings.SITE_NAME}"
    snippet = format_html(
        '<iframe src="{}" title="{}" width="600" height="480"></iframe>',
        absolute_url(embed_path),
        widget_title,
    )
    context = {
        "form": form,
        "embed_path": embed_path,
        "snippet": snippet,
        "feed_url": absolute_url(feed_path),
        "widget_title": widget_title,
    }
    return render(request, "widget/builder.html", context)
