"""The registry of activity kinds: every installed app whose AppConfig is a base.KindConfig.

The list of kinds is settings.CONVENE_KINDS (added to INSTALLED_APPS there), in the order the
agenda offers them; CONVENE_EXTRA_KINDS adds a site's own. The core asks this module, never a
kind's module by name. How to add a kind: README.md in this folder.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@cache
def _registry():
    from intersector.workshops.activities.base import KindConfig

    kinds = {}
    for config in apps.get_app_configs():
        if isinstance(config, KindConfig):
            activity = config.get_activity()
            if not activity.kind or activity.kind in kinds:
                raise ImproperlyConfigured(f"Activity kind {activity.kind!r} of {config.name} is empty or taken.")
            kinds[activity.kind] = activity
    return kinds


def all_kinds():
    return list(_registry().values())


def is_registered(kind):
    return kind in _registry()


def get_kind(kind):
    """The kind's activity; for a kind this site does not have, one that says so and runs nothing."""
    from intersector.workshops.activities.base import UnavailableActivity

    return _registry().get(kind) or UnavailableActivity(kind)


def kind_choices():
    return [(activity.kind, activity.label) for activity in all_kinds()]


def _union(attribute):
    return list(dict.fromkeys(name for activity in all_kinds() for name in getattr(activity, attribute)))


def board_events():
    """Every kind's board events: the console and the projector listen for all of them (the
    page stays open while the agenda moves from one kind to the next)."""
    return _union("board_events")


def phone_events():
    return _union("phone_events")


def phone_styles():
    return _union("phone_styles")


def phone_scripts():
    return _union("phone_scripts")


def console_styles():
    return _union("console_styles")


def screen_styles():
    return _union("screen_styles")


def find_export(kind, name):
    if not is_registered(kind):
        return None
    return next((export for export in get_kind(kind).exports() if export.name == name), None)
