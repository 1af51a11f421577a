"""{% report_controls item as report %}: what the console's report controls need
(casesim/console_report.html), so that the console's panel can include them as they are."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def report_controls(context, item):
    from intersector.workshops.activities.casesim import show

    request = context.get("request")
    return show.report_controls(item, getattr(request, "user", None))


@register.filter
def written(rows):
    """Whether any of a family's rows has an entry (the projector says so when none has)."""
    return any(getattr(row, "entry", None) for row in rows or ())
