"""The starter agenda: the three-hour workshop on cross-sector collaboration, made of the items
each activity kind adds (Activity.starter_items), in the order of their positions."""

from intersector.workshops.activities import all_kinds


def starter_agenda():
    """(title, kind, minutes, config) for each item of the starter workshop."""
    items = [(position, title, activity.kind, minutes, config)
             for activity in all_kinds() for position, title, minutes, config in activity.starter_items()]
    items.sort(key=lambda item: item[0])
    return [(title, kind, minutes, config) for _position, title, kind, minutes, config in items]
