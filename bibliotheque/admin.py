from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from usecases.permissions import moderator_rights_allowed

admin.site.site_header = _("Bibliothèque d’IA territoriales — modération")
admin.site.site_title = _("Modération")
admin.site.index_title = _("Administration du catalogue")
# Staff log in through django-allauth, which applies rate limits and the second factor.
admin.site.login = secure_admin_login(admin.site.login)

_staff_permission = admin.site.has_permission


def _has_permission(request):
    """Staff, and a second factor (docs/securite.md): the admin's views, whatever their URL."""
    return _staff_permission(request) and moderator_rights_allowed(request.user)


admin.site.has_permission = _has_permission
