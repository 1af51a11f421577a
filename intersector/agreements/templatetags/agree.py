from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ ratings|get:element.key }}: look a value up by a variable key."""
    if not mapping:
        return ""
    return mapping.get(key, "")
