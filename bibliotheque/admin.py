from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Bibliothèque d’IA territoriales — modération")
admin.site.site_title = _("Modération")
admin.site.index_title = _("Administration du catalogue")
# Staff log in through django-allauth, which applies rate limits and the second factor.
admin.site.login = secure_admin_login(admin.site.login)
