from django import template
from django.utils.safestring import mark_safe

from intersector.inline import BUNDLES, bundle

register = template.Library()


@register.simple_tag
def inline_bundle(name):
    """<style> or <script> with a bundle's text (allowed by the CSP through its hash)."""
    kind, _paths = BUNDLES[name]
    text, _digest = bundle(name)
    return mark_safe(f"<{kind}>{text}</{kind}>")  # our own files, checked for '</' in bundle()
