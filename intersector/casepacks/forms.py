"""The /cms/ form for a case pack: every field a form field, and on save the whole pack is
checked with `casepacks.validate`. Each problem is listed at the top of the form in plain
words and nothing is saved; a pack that passes gets its `data` rebuilt and its version raised."""

import re

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from intersector.casepacks import packs, services

ROWS = ("background_rows", "group_rows", "role_rows", "phase_rows", "guide_rows",
        "debrief_rows", "result_rows")


def _rows(formset):
    """The rows kept in the form, in the order shown: dicts of their cleaned fields."""
    kept = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        order = data.get("ORDER")
        kept.append((order if order is not None else index, index, data))
    return [data for _order, _index, data in sorted(kept, key=lambda row: row[:2])]


def _labels():
    """The file's field names as the form calls them, for the problems listed on the form."""
    return {"must_get": _("must get"), "can_give": _("can give"), "red_lines": _("red lines"),
            "interest_groups": _("interest groups"), "interest_group": _("interest group"),
            "facilitator_guide": _("facilitator guide"), "results_template": _("results form")}


def in_form_words(problem):
    labels = _labels()
    return re.sub(r"\b(%s)\b" % "|".join(labels), lambda m: labels[m[1]], problem)


class StoredPackForm(WagtailAdminModelForm):
    pack = None

    def is_valid(self):
        if not super().is_valid():
            return False
        fields = dict(self.cleaned_data, version=self.instance.version or 1)
        rows = {name: _rows(self.formsets[name]) for name in ROWS}
        try:
            self.pack = packs.validate(services.pack_data(fields, rows))
        except packs.CasePackError as error:
            for problem in error.problems:
                self.add_error(None, in_form_words(problem))
            return False
        return True

    def save(self, commit=True):
        services.stamp(self.instance, self.pack, self.for_user)
        return super().save(commit=commit)
