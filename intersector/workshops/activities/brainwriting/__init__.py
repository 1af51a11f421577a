"""Brainwriting on sector styles: short notes per prompt and sector, rounds (blind or build-on),
themes made automatically, a theme x sector grid, dot voting."""

from intersector.workshops.activities.brainwriting.activity import activity  # noqa: F401
from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote  # noqa: F401
