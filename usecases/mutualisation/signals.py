"""Public pages show solutions and declarations: changing them invalidates the page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from usecases.pagecache import bump_catalogue_version

from .models import ReuseDeclaration, Solution


def _changed(sender, **kwargs):
    bump_catalogue_version()


def connect():
    for model in (Solution, ReuseDeclaration):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reuse-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reuse-delete-{model.__name__}")
    m2m_changed.connect(
        _changed, sender=Solution.use_cases.through, dispatch_uid="reuse-solution-cases"
    )
