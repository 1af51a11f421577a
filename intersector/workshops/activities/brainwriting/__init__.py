"""Brainwriting on sector styles: short notes per prompt and sector, rounds (blind or build-on),
themes made automatically, a theme x sector grid, dot voting. An activity kind of Convene
(intersector/workshops/activities/README.md): the core finds it through apps.py and activity.py."""
