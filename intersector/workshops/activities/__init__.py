"""Activity kinds: one module per kind, all with the same small interface (see base.Activity).

To add a kind (e.g. the case simulation), write activities/<kind>.py with an `activity` object
and add its module name to KIND_MODULES. Nothing else changes.
"""

from importlib import import_module

KIND_MODULES = ["presentation", "brainwriting", "discussion", "pause"]

_registry = {}


def load_models():
    """Import every kind once (their models register with Django, their activity here)."""
    if _registry:
        return
    for name in KIND_MODULES:
        module = import_module(f"{__name__}.{name}")
        _registry[module.activity.kind] = module.activity


def get_kind(kind):
    load_models()
    return _registry.get(kind) or _registry["presentation"]


def all_kinds():
    load_models()
    return list(_registry.values())


def kind_choices():
    return [(activity.kind, activity.label) for activity in all_kinds()]
