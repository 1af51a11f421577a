r"""One check for every piece of text the site receives: no control characters, no invisible-only text.

PostgreSQL cannot store NUL at all (a form, a join code in the address or a search word with one
used to answer 500), and lone surrogates cannot be written as UTF-8 by either database. The other
control characters are never typed by people: they come from broken copy-paste or from someone
trying to hide text. A value made only of zero-width characters and direction marks looks empty
but is not, so a name or title made of them would be invisible on every screen; inside real text
those marks are fine (Persian, Arabic and Hebrew need them, emoji are joined by them).

`intersector.middleware.InputCheckMiddleware` applies the check once, for the whole site, before
any view runs: the address, every GET and POST value and field name (the content admin's too),
and the JSON body of /api/ requests. (Django itself drops the non-printable characters of uploaded
file names, and the content admin's rich text, posted as JSON, is checked by Wagtail's own form.)
A problem is answered through `intersector.refusals` (page, htmx fragment or JSON) with a 400
that names the field.

    problem("Caf\u00e9 \u2615")          -> None (accents, emoji, Arabic, Hebrew... are text)
    problem("a\x00b")              -> CONTROL
    problem("\u200b\u200f")         -> INVISIBLE_ONLY
"""

import json
import re

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.refusals import Refused

# Each set is written as the inside of a regex character class, so that the Python check and the
# pattern the API's schema publishes (TEXT_PATTERN) are built from the same characters.
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Spaces of every width (Python's idea of whitespace, less the control characters above).
SPACES = "\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Characters that take no space on screen: soft hyphen, combining grapheme joiner, Arabic letter
# mark, Hangul fillers, Khmer inherent vowels, Mongolian vowel separator, zero-width space,
# non-joiner and joiner, every direction mark, embedding, override and isolate, word joiner and
# invisible operators, byte-order mark. Inside real text they are fine (Persian uses U+200C
# between letters, emoji use U+200D); a value made only of them, and spaces, is refused.
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0"
)
CONTROL_CHARACTER = re.compile(f"[{CONTROLS}]")
SURROGATE = re.compile("[\ud800-\udfff]")
INVISIBLE_CHARACTER = re.compile(f"[{INVISIBLE}]")
VISIBLE_CHARACTER = re.compile(f"[^{SPACES}{INVISIBLE}]")


def _escaped(character_class):
    """A character class with every character as a \\uXXXX escape, which JSON Schema (ECMA-262),
    Python and pydantic's regex engine all read the same way."""
    return "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in character_class)


_C, _S, _I = (_escaped(part) for part in (CONTROLS, SPACES, INVISIBLE))
# The text this site accepts, as a pattern for the API's schema: no control character, and either
# a visible character somewhere or no invisible one at all (empty and spaces-only text pass here;
# the forms decide whether an empty value is allowed).
TEXT_PATTERN = f"^(?:[^{_C}]*[^{_C}{_S}{_I}][^{_C}]*|[^{_C}{_I}]*)$"
# The same, for text that must say something (a name, a title): a visible character somewhere.
VISIBLE_TEXT_PATTERN = f"^[^{_C}]*[^{_C}{_S}{_I}][^{_C}]*$"

CONTROL = "control"
BROKEN = "broken"
INVISIBLE_ONLY = "invisible-only"


def problem(text, *, allow_invisible=False):
    """What is wrong with this text (CONTROL, BROKEN or INVISIBLE_ONLY), or None if it can be saved.

    `allow_invisible` skips the invisible-only rule, for values that are not text shown to people
    (passwords, addresses, field names).
    """
    if not isinstance(text, str) or not text:
        return None
    if CONTROL_CHARACTER.search(text):
        return CONTROL
    if SURROGATE.search(text):
        return BROKEN
    if not allow_invisible and not VISIBLE_CHARACTER.search(text) and INVISIBLE_CHARACTER.search(text):
        return INVISIBLE_ONLY
    return None


def is_password(name):
    return "password" in name.lower()


# Field names that say little to a person, in plain words.
LABELS = {
    "q": gettext_lazy("search"), "csrfmiddlewaretoken": gettext_lazy("security token"),
    "display_name": gettext_lazy("your name"), "body": gettext_lazy("comment"),
    "who": gettext_lazy("person to invite"),
}


def field_label(name):
    """A field's name in plain words: "display_name" -> "display name", "q" -> "search"."""
    if name in LABELS:
        return str(LABELS[name])
    label = re.sub(r"[_\-\s]+", " ", name).strip()
    return label[:60] or name[:60]


def refused(text, status=400):
    return Refused(text, status, title=_("Something you sent cannot be saved"))


def message(kind, where, field=""):
    """The refusal's words. `where` is "field", "name" (a field's name) or "address"."""
    if where == "address":
        return _(
            "The address contains a character that cannot be used in a link (an invisible "
            "control character). Check the link and try again."
        )
    if where == "name":
        return _(
            "One of the names of the fields sent contains an invisible control character. "
            "Reload the page and try again."
        )
    label = field_label(field)
    if kind == INVISIBLE_ONLY:
        return _(
            "The field “%(field)s” contains only invisible characters. Type some text, or leave it "
            "empty."
        ) % {"field": label}
    if is_password(field):
        return _(
            "The field “%(field)s” contains a character that cannot be part of a password (an "
            "invisible control character). Remove it and try again."
        ) % {"field": label}
    what = _("a broken character") if kind == BROKEN else _("an invisible control character")
    return _(
        "The field “%(field)s” contains a character that cannot be saved (%(what)s). Remove it and "
        "try again."
    ) % {"field": label, "what": what}


def check_text(text, field, *, allow_invisible=False):
    """Raise Refused (400, naming the field) if `text` cannot be saved."""
    kind = problem(text, allow_invisible=allow_invisible or is_password(field))
    if kind:
        raise refused(message(kind, "field", field))


def check_name(name):
    """A field's own name: control characters or broken text only."""
    if problem(name, allow_invisible=True):
        raise refused(message(CONTROL, "name"))


def check_json(value, field=""):
    """Every string in a decoded JSON document, keys and values, at any depth."""
    if isinstance(value, str):
        check_text(value, field or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_name(key)
            check_json(item, key)
    elif isinstance(value, list):
        for item in value:
            check_json(item, field)


def check_query(query):
    """A QueryDict (GET or POST): every field name and every value."""
    for name, values in query.lists():
        check_name(name)
        for value in values:
            check_text(value, name)


def check_request(request):
    """Everything a request carries as text, except file contents. Raises Refused."""
    if problem(request.path, allow_invisible=True):
        raise refused(message(CONTROL, "address"))
    check_query(request.GET)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.path.startswith("/api/"):
        # Read (and keep) the body first: the API reads it again after this check, which a form
        # parsed straight from the stream would have made impossible (a form posted to a JSON
        # route answered 500 instead of the route's own 422).
        try:
            body = request.body
        except RequestDataTooBig:
            raise refused(_("What you sent is larger than this site accepts."), 413) from None
        if request.content_type not in FORM_TYPES:
            check_json(decoded_json(body))  # the API reads any other body as JSON
            return
    # Uploaded file names need no check: Django drops their non-printable characters itself.
    check_query(request.POST)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def decoded_json(body):
    """The body's JSON, or None when it is not JSON (the API then says so itself)."""
    try:
        return json.loads(body)
    except ValueError:  # also UnicodeDecodeError
        return None


def drop_unreadable_cookies(request):
    """Forget cookies whose value holds a control character, as if the browser had not sent them.

    Nobody types a cookie, so there is nothing to tell the visitor; but a session cookie with a
    NUL in it (sent quoted as "\\000") would otherwise reach the database and answer 500."""
    for name, value in list(request.COOKIES.items()):
        if problem(name, allow_invisible=True) or problem(value, allow_invisible=True):
            del request.COOKIES[name]

