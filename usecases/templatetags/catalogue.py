from django import template

register = template.Library()


@register.filter
def field_label(form, name):
    """The label of a form field by name: {{ form|field_label:"region" }}."""
    field = form.fields.get(name)
    return field.label if field is not None else name


@register.filter
def paragraphs(text):
    """Split plain text on blank lines, for rendering with <p> in the template (escaped)."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]
