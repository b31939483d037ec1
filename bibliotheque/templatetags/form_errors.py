"""Template filters for the forms' error summary (templates/includes/_form_errors.html)."""

from django import template

register = template.Library()


@register.filter
def error_messages_count(form):
    """How many messages the summary lists: one field may carry several."""
    return sum(len(messages) for messages in form.errors.values())
