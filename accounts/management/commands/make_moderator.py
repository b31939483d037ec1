"""Make a user a moderator: staff access and the « Modérateurs » group.

    manage.py make_moderator moderatrice@example.org            # an existing account
    manage.py make_moderator moderatrice@example.org --create   # asks for a password

The password is typed at the prompt (or read from DJANGO_MODERATOR_PASSWORD for scripts),
never committed. The e-mail address is marked as verified.
"""

import getpass
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Donne à un compte les droits de modération (groupe « Modérateurs »)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--create", action="store_true", help="Créer le compte s’il manque.")

    def handle(self, *args, email, create, **options):
        User = get_user_model()
        email = email.strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None and not create:
            raise CommandError(f"Aucun compte pour {email} : ajoutez --create pour le créer.")
        with transaction.atomic():
            if user is None:
                user = User(username=email[:150], email=email)
                user.set_password(self._password(user))
                user.save()
                self.stdout.write(f"Compte créé : {email}")
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            group = Group.objects.get(name=settings.MODERATORS_GROUP)
            user.groups.add(group)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(self.style.SUCCESS(f"{email} est modérateur ou modératrice."))

    def _password(self, user):
        password = os.environ.get("DJANGO_MODERATOR_PASSWORD")
        if not password:
            password = getpass.getpass("Mot de passe : ")
            if password != getpass.getpass("Mot de passe (confirmation) : "):
                raise CommandError("Les deux mots de passe diffèrent.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
