from django import template

from usecases.choices import OPEN_REVISION_STATUSES

register = template.Library()


@register.filter
def field_label(form, name):
    """The label of a form field by name: {{ form|field_label:"region" }}."""
    field = form.fields.get(name)
    return field.label if field is not None else name


@register.filter
def paragraphs(text):
    """Split plain text on blank lines, for rendering with <p> in the template (escaped)."""
    return [
        part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


@register.filter
def last_moderation_message(use_case):
    """The latest moderation event with a message (uses the prefetched events)."""
    events = [event for event in use_case.moderation_events.all() if event.message]
    return max(events, key=lambda event: event.created_at) if events else None


@register.filter
def open_revision(use_case):
    """The update being prepared or reviewed, if any (uses the prefetched revisions)."""
    for revision in use_case.revisions.all():
        if revision.status in OPEN_REVISION_STATUSES:
            return revision
    return None


@register.filter
def selected_labels(facets):
    """The chosen filter options, for the page title: « Mobilités, Expérimentation »."""
    return ", ".join(option.label for facet in facets for option in facet.selected)
