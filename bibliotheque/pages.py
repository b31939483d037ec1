"""Information pages: statistics, accessibility, legal notices, privacy, site map, about, ecodesign.

Publisher and host details come from settings (read from the environment); a blank value is
shown as « à compléter par l’exploitant », never guessed.
"""

import json
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView

from usecases.models import Theme
from usecases.mutualisation import observatory
from usecases.statistics import catalogue_statistics

from .charts import bar_chart

# Written by bin/measure-pages.py (make ecoindex); shipped with the code, read by /ecoconception/.
ECODESIGN_REPORT = Path(__file__).resolve().parent / "ecoconception.json"


def publisher_details():
    """The operator's details for the legal pages; empty strings mean « not provided »."""
    return {
        "name": settings.SITE_PUBLISHER,
        "address": settings.SITE_PUBLISHER_ADDRESS,
        "director": settings.SITE_PUBLICATION_DIRECTOR,
        "email": settings.SITE_CONTACT_EMAIL,
        "host_name": settings.SITE_HOST_NAME,
        "host_address": settings.SITE_HOST_ADDRESS,
    }


class InformationPageView(TemplateView):
    """A static page that may mention the publisher (legal pages, about, accessibility)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["publisher"] = publisher_details()
        context["session_cookie_days"] = settings.SESSION_COOKIE_AGE // 86400
        context["csrf_cookie_days"] = (settings.CSRF_COOKIE_AGE or 0) // 86400
        context["site_url"] = self.request.build_absolute_uri("/")
        context["contact_retention_days"] = settings.CONTACT_RETENTION_DAYS
        return context


class SiteMapView(InformationPageView):
    template_name = "site/plan_du_site.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "themes": Theme.objects.all()}


def load_ecodesign_report(path=None):
    """The figures measured by bin/measure-pages.py, or None before the first measurement."""
    try:
        return json.loads(Path(path or ECODESIGN_REPORT).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


class EcodesignView(InformationPageView):
    template_name = "site/ecoconception.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "report": load_ecodesign_report()}


def statistics(request):
    """Published cases by theme, région, stage, technique, kind of collectivité and over time."""
    list_url = reverse("usecases:list")
    dimensions = catalogue_statistics()
    charts = [
        bar_chart(
            chart_id=f"stat-{dimension.slug}",
            title=dimension.title,
            key_header=dimension.key_header,
            rows=dimension.rows,
            list_url=list_url,
        )
        for dimension in dimensions
    ]
    # Each published case has exactly one stage: their sum is the number of published cases.
    stages = next(d for d in dimensions if d.slug == "stade")
    total = sum(row.count for row in stages.rows)
    dependencies = observatory.observatory()
    context = {
        "charts": charts,
        "total": total,
        "dependencies": dependencies,
        # The headline figures; every figure is on /statistiques/dependances/ (page weight).
        "dependency_charts": observatory.charts(observatory.headline(dependencies)),
        "solutions_url": reverse("reuse:solutions"),
    }
    return render(request, "site/statistiques.html", context)
