import time

from django import template
from django.utils.translation import gettext as _

from intersector.accounts.models import Sector

register = template.Library()


@register.filter
def epoch_ms(value):
    return int(value.timestamp() * 1000) if value else ""


@register.simple_tag
def now_ms():
    return int(time.time() * 1000)


@register.filter
def mmss(seconds):
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def sector_name(value):
    return dict(Sector.choices).get(value, value)


@register.inclusion_tag("workshops/timer.html")
def timer(workshop, label=None):
    return {"workshop": workshop, "seconds": workshop.seconds_left(), "label": label or _("Time left")}
