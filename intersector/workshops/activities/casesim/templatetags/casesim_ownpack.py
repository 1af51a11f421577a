"""{% own_pack_setup item %}: the "Use your own case pack" form under the simulation item on the
agenda page (activity.settings_template), before the item starts (ownpack.py)."""

from django import template

from intersector import casepacks

register = template.Library()


@register.inclusion_tag("casesim/console_ownpack_form.html", takes_context=True)
def own_pack_setup(context, item):
    from intersector.workshops.activities.casesim import ownpack, state

    return {"workshop": context["workshop"], "item": item, "csrf_token": context.get("csrf_token"),
            "own_packs": ownpack.summary(item), "own_limit_kb": casepacks.MAX_FILE_BYTES // 1024,
            "back": "agenda", "started": state.simulation_of(item) is not None}
