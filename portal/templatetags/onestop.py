from django import template

register = template.Library()


@register.simple_tag
def accessible_field(field):
    """Render a form field's widget tied to its help and error text for screen readers."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    attrs = {}
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def script(text):
    """Chinese text in the reader's script: Traditional on a Traditional page."""
    from django.utils.translation import get_language

    from core.text import to_traditional

    return to_traditional(str(text)) if (get_language() or "") == "zh-hant" else text


@register.filter
def percent(rate):
    """0.9734 → 97.3%; None → — (nothing to divide by)."""
    if rate is None or rate == "":
        return "—"
    return f"{float(rate) * 100:.1f}%"


@register.filter
def masked_name(name):
    """陈美玲 → 陈*玲: names on staff pages that do not need the whole name."""
    from core.masking import mask_name

    return mask_name(name)


@register.filter
def get_item(mapping, key):
    """{{ names|get_item:code }}: a dictionary's value in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None
