from django import template
from django.utils import timezone

from reviews import rules

register = template.Library()


@register.inclusion_tag("reviews/_information_date.html")
def information_date(use_case):
    """« Informations à jour au … », and past 18 months a plain warning that they may be old."""
    date = use_case.information_date
    return {
        "date": date,
        "stale": date is not None and date < rules.stale_before(timezone.now()),
        "stale_months": rules.STALE_AFTER_MONTHS,
        "use_case": use_case,
    }
