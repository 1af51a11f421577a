"""A workshop's texts in several languages: phones and the projector show each in the viewer's.

A workshop is written in one language, `Workshop.language` (the facilitator's when it was made):
its title, its items' titles and the texts of their set-up that people read (the config fields
each kind lists in `Activity.translatable`: a text, a list of prompts...) hold that language.
`Workshop.other_languages` lists the site's other languages it is given in too (a new workshop:
all of them; the facilitator adds or takes one away on the agenda page), and `Workshop.texts` and
`AgendaItem.texts` hold the same fields in those languages:

    {"es": {"title": "Pausa", "text": "Volvemos en quince minutos."}}

A viewer gets their language; where a text is missing there, the workshop's own (and where that is
empty, any other language that has it). Lists (a kind's prompts) go element by element and
keep the length of the workshop's own list: notes point at a prompt by its position.

`shown_in(item_or_workshop, language)` gives a copy to render, with those fields in `language`
(or, with BOTH, every language side by side, for a projector): the kinds' templates and contexts
read `item.title` and `item.config` as ever and need not know about languages. A copy must never
be saved (TextsMixin.save refuses), since it holds one viewer's mix of languages.
"""

import copy

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from intersector.refusals import Refused

BOTH = "both"  # a projector showing every language side by side
MAX_TITLE = 200
MAX_TEXT = 2000
MAX_LINE = 120  # one prompt of a list


def site_languages():
    return [code for code, _name in settings.LANGUAGES]


def language_name(code):
    """The language's name in the reader's language ("Spanish", "español"...)."""
    return str(dict(settings.LANGUAGES).get(code, code))


def short(code):
    return (code or "").split("-")[0].lower()


def current():
    """The language this request reads: the phone's own choice (the language cookie that
    Django's set_language writes), else its browser's, else the site's. A cache of rendered
    screens keys on this too."""
    code = short(translation.get_language())
    return code if code in site_languages() else short(settings.LANGUAGE_CODE)


def known_or_site(code):
    code = short(code)
    return code if code in site_languages() else short(settings.LANGUAGE_CODE)


class TextsMixin:
    """For Workshop and AgendaItem (each has `texts`, a JSONField): read a text in a language."""

    shown_language = None  # set on a copy made by shown_in

    def own_language(self):
        raise NotImplementedError

    def translatable_fields(self):
        return ["title"]

    def text_languages(self):
        """The languages its texts are given in: its own first, then Workshop.other_languages."""
        raise NotImplementedError

    def own_text(self, field):
        return self.title if field == "title" else (self.config or {}).get(field)

    def text(self, field, language=None):
        """One field in `language` (default: the request's), falling back as the module says."""
        return pick(versions(self, field), language or current(), self.own_language())

    def save(self, *args, **kwargs):
        if self.shown_language is not None:
            raise ValueError("A copy made for one viewer's language (texts.shown_in) is never saved.")
        super().save(*args, **kwargs)


def versions(obj, field):
    """{language: value} of one field: the workshop's own language, then the translations in the
    languages it is given in (a language taken away is not read, though its texts are kept)."""
    found = {obj.own_language(): obj.own_text(field)}
    given = obj.text_languages()
    for language, texts in (obj.texts or {}).items():
        if isinstance(texts, dict) and field in texts and language in given:
            found.setdefault(language, texts[field])
    return found


def _order(language, own):
    return list(dict.fromkeys([short(language), own, *site_languages()]))


def pick(found, language, own):
    """The value in `language`, else in `own`, else in any language that has one."""
    order = [code for code in _order(language, own) if found.get(code)]
    if not order:
        return found.get(own)
    first = found[order[0]]
    if not isinstance(first, list):
        return first
    base = found.get(own) if isinstance(found.get(own), list) and found.get(own) else first
    lists = [found[code] for code in order if isinstance(found[code], list)]
    return [next((values[i] for values in lists if i < len(values) and values[i]), base[i])
            for i in range(len(base))]


def side_by_side(found, own, field):
    """Every language's version at once (a projector for a mixed room): the own language first;
    a text missing in a language, or the same in both, is shown once."""
    order = [code for code in _order(own, own) if found.get(code)]
    values = [found[code] for code in order]
    if not values:
        return found.get(own)
    if isinstance(values[0], list):
        base = values[0]
        return [_join([v[i] for v in values if isinstance(v, list) and i < len(v) and v[i]], " / ")
                for i in range(len(base))]
    return _join(values, " / " if field == "title" else "\n\n")


def _join(values, separator):
    return separator.join(dict.fromkeys(value for value in values if value))


def shown_in(obj, language):
    """A copy of a workshop or an agenda item whose texts are in `language` (or BOTH), to render."""
    if obj is None:
        return None
    shown = copy.copy(obj)
    if hasattr(obj, "config"):
        shown.config = dict(obj.config or {})  # the kind's other settings stay shared, unchanged
    own = obj.own_language()
    for field in obj.translatable_fields():
        found = versions(obj, field)
        value = side_by_side(found, own, field) if language == BOTH else pick(found, language, own)
        if field == "title":
            shown.title = value or obj.title
        elif field in shown.config or value:
            shown.config[field] = value
    shown.shown_language = language
    return shown


def shown_items(workshop, language=None):
    """{item pk: a copy of the item in `language` (default: the reader's)} for every item of a
    workshop: a download's rows name each row's item, its prompt... in the reader's language."""
    language = language or current()
    shown_workshop = shown_in(workshop, language)
    found = {}
    for item in workshop.items.all():
        item.workshop = workshop  # its own language is the workshop's
        found[item.pk] = shown_in(item, language)
        found[item.pk].workshop = shown_workshop
    return found


# --- What facilitators type, and a new item's texts ------------------------------------------------


def clean_line(value, what, limit=MAX_TITLE, language=None):
    """One line (a title): spaces tidied, refused when too long (nothing is cut off silently)."""
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise Refused(too_long(what, limit, len(value), language))
    return value


def clean_text(value, what, limit=MAX_TEXT, language=None):
    value = (value or "").strip()
    if len(value) > limit:
        raise Refused(too_long(what, limit, len(value), language))
    return value


def too_long(what, limit, length, language=None):
    if language:
        return _("The %(what)s in %(language)s is too long: %(length)s characters. Please keep it under "
                 "%(limit)s.") % {"what": what, "language": language_name(language), "length": length,
                                   "limit": limit}
    return _("The %(what)s is too long: %(length)s characters. Please keep it under %(limit)s.") % {
        "what": what, "length": length, "limit": limit}


def set_translation(obj, language, field, value):
    """Keep `value` as `field` in `language` (not the workshop's own language); empty removes it."""
    texts = {code: dict(fields) for code, fields in (obj.texts or {}).items() if isinstance(fields, dict)}
    if value:
        texts.setdefault(language, {})[field] = value
    else:
        texts.get(language, {}).pop(field, None)
    obj.texts = {code: fields for code, fields in texts.items() if fields}


def new_item(workshop, kind, title, config=None):
    """title, config and texts of a new item: in the workshop's language, and in its other
    languages where the starter gives them ({language: text}) or the kind's default set-up has
    them (the default prompts of a kind that has some)."""
    from intersector.workshops.activities import get_kind  # the registry, not a kind
    from intersector.workshops.models import AgendaItem  # models.py imports this module

    activity = get_kind(kind)
    own = workshop.language
    with translation.override(own):
        defaults = activity.default_config()
    given = {**defaults, **(config or {})}
    item = AgendaItem(workshop=workshop, kind=kind, title=in_language(title, own), texts={},
                      config={key: in_language(value, own) if key in activity.translatable else value
                              for key, value in given.items()})
    for language in other_languages(workshop):
        with translation.override(language):
            theirs = activity.default_config()
        if isinstance(title, dict) and title.get(language):
            set_translation(item, language, "title", title[language])
        for field in activity.translatable:
            value = given.get(field)
            if isinstance(value, dict):
                version = value.get(language)
            else:
                version = theirs.get(field) if value == defaults.get(field) else None
            if version and version != item.config.get(field):
                set_translation(item, language, field, version)
    return {"title": item.title, "config": item.config, "texts": item.texts}


def copied_titles(workshop):
    """The workshop's titles in its other languages, each marked as a copy in its own language."""
    found = {}
    for language, fields in (workshop.texts or {}).items():
        if fields.get("title"):
            with translation.override(language):
                found[language] = {"title": _("%(title)s (copy)") % {"title": fields["title"][:190]}}
    return found


def clean_translations(workshop, translations):
    """Titles and phone texts in the workshop's other languages, each checked (too long: refused)."""
    cleaned = {}
    for language in other_languages(workshop):
        given = (translations or {}).get(language)
        if given is None:
            continue
        fields = {}
        if "title" in given:
            fields["title"] = clean_line(given["title"], _("title"), language=language)
        if "text" in given:
            fields["text"] = clean_text(given["text"], _("text on the phones"), language=language)
        cleaned[language] = fields
    return cleaned


def other_languages(workshop):
    """The languages besides its own that the workshop is given in (Workshop.other_languages)."""
    chosen = workshop.other_languages or []
    return [code for code in site_languages() if code != workshop.language and code in chosen]


def addable_languages(workshop):
    """The site's languages the facilitator could add to the workshop."""
    return [code for code in site_languages() if code != workshop.language and code not in other_languages(workshop)]


def starter_texts(workshop, item, language):
    """{field: text} in `language` for an item as it came (the starter agenda's, or its kind's
    default set-up): each field whose text in the workshop's own language is still the one it
    came with, and which has no text in `language` yet. What the facilitator changed or wrote is
    never replaced."""
    from intersector.workshops.starter import starter_agenda  # the registry of kinds, loaded late

    own = workshop.language
    came = next(((title, config) for title, kind, _minutes, config in starter_agenda()
                 if kind == item.kind and in_language(title, own) == item.title), (item.title, None))
    fresh = new_item(workshop, item.kind, *came)
    theirs = (item.texts or {}).get(language) or {}
    found = {}
    for field, value in ((fresh["texts"] or {}).get(language) or {}).items():
        own_now = item.title if field == "title" else (item.config or {}).get(field)
        own_fresh = fresh["title"] if field == "title" else fresh["config"].get(field)
        if own_now == own_fresh and not theirs.get(field):
            found[field] = value
    return found


def in_language(value, language):
    """A starter text given as {language: text} in one language (English where it lacks one)."""
    if isinstance(value, dict):
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    if isinstance(value, (list, tuple)):
        return [in_language(element, language) for element in value]
    return value if value is None else str(value)
