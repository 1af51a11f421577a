"""Changes to the languages a workshop is given in (its texts per language: texts.py), each
validated, saved in a transaction and then announced, as every change in services.py."""

from django.db import transaction
from django.utils.translation import gettext as _

from intersector.refusals import Refused
from intersector.workshops import texts
from intersector.workshops.services import _lock, announce, clean_title


def projector_languages(workshop):
    """What the projector may be set to besides the workshop's own language: the languages the
    workshop has texts in, every language side by side when there are some, and the current
    choice (one made before languages were given per workshop stays until changed)."""
    others = texts.other_languages(workshop)
    offered = [*others, texts.BOTH] if others else []
    if workshop.projector_language and workshop.projector_language not in offered:
        offered.append(workshop.projector_language)
    return offered


def set_workshop_languages(workshop, title, translations, projector_language):
    """The workshop's title in its own and its other languages, and what its projector shows."""
    title = clean_title(title)
    titles = {language: texts.clean_line(value, _("title"), language=language)
              for language, value in (translations or {}).items() if language in texts.other_languages(workshop)}
    if projector_language not in ("", *projector_languages(workshop)):
        raise Refused(_("Choose one of the projector's languages in the list."))
    with transaction.atomic():
        workshop = _lock(workshop)
        workshop.title = title
        for language, value in titles.items():
            texts.set_translation(workshop, language, "title", value)
        workshop.projector_language = projector_language
        workshop.save(update_fields=["title", "texts", "projector_language"])
        announce(workshop, "screen.changed", phones=True)
    return workshop


def add_language(workshop, language):
    """Give the workshop's texts in `language` too: phones reading it get them. Items as they came
    (the starter agenda's, a kind's default set-up) get that language's text at once; texts kept
    from an earlier time stay as they were typed."""
    with transaction.atomic():
        workshop = _lock(workshop)
        if language not in texts.addable_languages(workshop):
            raise Refused(_("Choose one of the languages offered."))
        workshop.other_languages = [*texts.other_languages(workshop), language]
        workshop.save(update_fields=["other_languages"])
        for item in workshop.items.all():
            item.workshop = workshop
            for field, value in texts.starter_texts(workshop, item, language).items():
                texts.set_translation(item, language, field, value)
            item.save(update_fields=["texts"])
        announce(workshop, "agenda.changed")
        announce(workshop, "screen.changed", phones=True)
    return workshop


def remove_language(workshop, language):
    """Phones reading `language` get the workshop's own texts again. What was written in it is
    kept (unused) in case it is added again."""
    with transaction.atomic():
        workshop = _lock(workshop)
        if language not in texts.other_languages(workshop):
            raise Refused(_("This workshop is not given in that language."))
        workshop.other_languages = [code for code in texts.other_languages(workshop) if code != language]
        if workshop.projector_language == language:
            workshop.projector_language = ""
        workshop.save(update_fields=["other_languages", "projector_language"])
        announce(workshop, "agenda.changed")
        announce(workshop, "screen.changed", phones=True)
    return workshop
