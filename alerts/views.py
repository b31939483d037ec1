"""Alerts without an account: subscribe, confirm (double opt-in), manage, unsubscribe.

The key in a link is the only credential: whoever holds it received the e-mail. Answers never
tell whether an address is subscribed: a subscription request always ends on the same page.

No view here reads a session, so CSRF tokens would protect nothing (a forged request can do
only what its author could do directly) while setting a cookie on public pages: the forms are
exempt, and these pages set no cookie at all (tests/site/test_no_cookies.py).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bibliotheque.limits import exceeded

from . import services
from .criteria import InvalidCriteria, canonical, describe
from .forms import FrequencyForm, SubscribeForm
from .models import Subscription, normalize_email


def _address_limited(request, email):
    """True past ALERT_REQUESTS_PER_ADDRESS requests for one address in a day, from anywhere.

    The caller answers as if the request went through: a different answer would tell that
    someone asked for this address lately. The bucket's key is hashed by the counters' store.
    """
    key = f"alert-address:{normalize_email(email)}"
    return exceeded(request, "alert-address", f"{settings.ALERT_REQUESTS_PER_ADDRESS}/d", key=key)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """« Recevoir les nouveaux cas par e-mail » for the criteria of a list URL."""
    source = request.POST.get("criteria", "") if request.method == "POST" else request.GET
    try:
        criteria = canonical(source)
    except InvalidCriteria as error:
        context = {"filter_errors": error.listing.errors, "form": None}
        return render(request, "alerts/subscribe.html", context, status=400)
    form = SubscribeForm(request.POST or None, initial={"criteria": criteria})
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif exceeded(request, "alert-request", f"{settings.ALERT_REQUESTS_PER_HOUR}/h"):
            # Per client: one connection cannot write to many addresses.
            form.add_error(
                None, _("Trop de demandes d’alerte depuis votre connexion : réessayez plus tard.")
            )
            status = 429
        else:
            email = form.cleaned_data["email"]
            if not _address_limited(request, email):
                services.subscribe(
                    email=email, criteria=criteria, frequency=form.cleaned_data["frequency"]
                )
            return redirect("alerts:requested")
    context = {"form": form, "criteria": describe(criteria), "criteria_string": criteria}
    return render(request, "alerts/subscribe.html", context, status=status)


def requested(request):
    return render(request, "alerts/requested.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, key):
    """The link of the confirmation e-mail: a button (link checkers only GET), then confirmed."""
    subscription = get_object_or_404(Subscription, key=key)
    if subscription.is_confirmed:
        return redirect(subscription)
    if services.confirmation_expired(subscription):
        return render(request, "alerts/expired.html", status=410)
    if request.method == "POST":
        services.confirm(subscription)
        return redirect(f"{subscription.get_absolute_url()}?{NOTICE}=confirmee")
    context = {"subscription": subscription, "criteria": describe(subscription.criteria)}
    return render(request, "alerts/confirm.html", context)


def _with_descriptions(subscriptions):
    return [(subscription, describe(subscription.criteria)) for subscription in subscriptions]


# The confirmation shown after a change, carried by the redirect rather than a cookie.
NOTICE = "fait"
NOTICES = {
    "confirmee": gettext_lazy("Votre alerte est confirmée."),
    "frequence": gettext_lazy("La fréquence de l’alerte est modifiée."),
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def manage(request, key):
    """Every confirmed alert of the link's address: frequency and unsubscription."""
    subscription = get_object_or_404(Subscription, key=key)
    if not subscription.is_confirmed:
        return redirect("alerts:confirm", key=key)
    subscriptions = Subscription.objects.confirmed().filter(email=subscription.email)
    if request.method == "POST":
        target = get_object_or_404(subscriptions, key=request.POST.get("alert", ""))
        form = FrequencyForm(request.POST)
        if form.is_valid():
            Subscription.objects.filter(pk=target.pk).update(
                frequency=form.cleaned_data["frequency"]
            )
            return redirect(f"{subscription.get_absolute_url()}?{NOTICE}=frequence")
        return render(
            request,
            "alerts/manage.html",
            {"subscription": subscription, "alerts": _with_descriptions(subscriptions)},
            status=400,
        )
    context = {
        "subscription": subscription,
        "alerts": _with_descriptions(subscriptions),
        "notice": NOTICES.get(request.GET.get(NOTICE, "")),
    }
    return render(request, "alerts/manage.html", context)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, key):
    """One click: the link opens a page with one button; a POST (the button, or the mail
    client through List-Unsubscribe-Post) deletes the subscription. The key is the credential."""
    if request.method == "POST":
        services.unsubscribe(key)
        return render(request, "alerts/unsubscribed.html")
    subscription = Subscription.objects.filter(key=key).first()
    if subscription is None:
        raise Http404(_("Cette alerte n’existe plus."))
    context = {"subscription": subscription, "criteria": describe(subscription.criteria)}
    return render(request, "alerts/unsubscribe.html", context)


@login_required
def my_alerts(request):
    """The alerts of the account's verified addresses."""
    emails = EmailAddress.objects.filter(user=request.user, verified=True).values_list(
        "email", flat=True
    )
    subscriptions = Subscription.objects.for_addresses(list(emails)).order_by("email", "pk")
    return render(request, "alerts/mine.html", {"alerts": _with_descriptions(subscriptions)})
