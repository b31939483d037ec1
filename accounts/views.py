"""Views about one's account that django-allauth does not provide."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import DeleteAccountForm


@login_required
def delete_account(request):
    """Delete one's account; published sheets stay, attributed to their collectivité."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            user.delete()
            messages.success(request, _("Votre compte a été supprimé."))
            return redirect("home")
        status = 400
    return render(request, "account/delete.html", {"form": form}, status=status)
