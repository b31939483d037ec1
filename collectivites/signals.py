"""Signals of the referential, for the apps that show its data (the referential imports none)."""

from django.dispatch import Signal

# Sent by import_collectivites inside its transaction, once régions, départements and
# collectivités are in sync: names and régions show on public pages and in the filters.
referential_imported = Signal()
