"""The pack's texts on a phone: paragraphs (blank lines) and lists ("- " lines); the line breaks
inside a paragraph come from the YAML file's wrapping and are not the author's."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def prose(text):
    parts = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        items, paragraph = [], []
        for line in lines:
            if line.startswith("- "):
                items.append([line[2:]])
            elif items and not paragraph:
                items[-1].append(line)  # a list item wrapped onto the next line
            else:
                paragraph.append(line)
        if paragraph:
            parts.append(f"<p>{escape(' '.join(paragraph))}</p>")
        if items:
            parts.append("<ul>" + "".join(f"<li>{escape(' '.join(item))}</li>" for item in items) + "</ul>")
    return mark_safe("\n".join(parts))  # every piece escaped above
