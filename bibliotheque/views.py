from django.db.models import Count, Q
from django.shortcuts import render

from usecases.choices import Status
from usecases.models import Theme, UseCase


def home(request):
    """Themes with their counts, the latest cases and a few key figures."""
    published = UseCase.objects.published()
    themes = Theme.objects.annotate(
        published_count=Count("use_cases", filter=Q(use_cases__status=Status.PUBLISHED))
    )
    figures = published.aggregate(
        use_cases=Count("pk"),
        collectivites=Count("collectivite", distinct=True),
        stopped=Count("pk", filter=Q(stage="stopped")),
    )
    context = {
        "themes": themes,
        "latest_cases": published.with_card_data()[:6],
        "figures": figures,
    }
    return render(request, "home.html", context)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
