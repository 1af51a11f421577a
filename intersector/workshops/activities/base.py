"""What the core of Convene asks of an activity kind, and what it offers in return.

A kind is a Django app (see README.md) whose `activity` module holds one `activity` object, an
instance of a subclass of `Activity`. The core calls only the methods below; everything a kind
does beyond them (its models, services, pages) stays inside its app.
"""

from django.apps import AppConfig
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


class KindConfig(AppConfig):
    """The AppConfig of an activity kind. Subclass it in the kind's apps.py as
    `base.KindConfig` (import the module, not the class, so Django finds one config there)."""

    default_auto_field = "django.db.models.BigAutoField"

    def get_activity(self):
        from importlib import import_module

        return import_module(f"{self.name}.activity").activity


class Activity:
    """One kind of agenda item. Context hooks get the item (and on the phone the participant)
    and return a dict for the kind's template; the core adds `workshop` and `item`."""

    kind = ""  # stored in AgendaItem.kind; also the URL segment and the URL namespace
    label = ""  # the kind's name in the agenda's list
    help = ""
    available = True

    # Live events (see intersector/live) the kind publishes on the workshop's board topic:
    # the console and the projector refresh when they hear one (a few times a second at most).
    board_events = ()
    # Live events on the phones' topic or a table's topic: a phone refreshes its screen on one
    # only while its screen shows an element with data-live-refresh="<event>".
    phone_events = ()
    # Static CSS files: phone_styles are written into the phone and projector pages,
    # console_styles are linked from the console, results and the kind's own pages,
    # screen_styles are linked from the projector only (no phone carries them).
    phone_styles = ()
    console_styles = ()
    screen_styles = ()
    # The config fields people read on phones and the projector (a text, a list of prompts...):
    # the facilitator gives them per language, and each viewer gets their own (workshops/texts.py).
    # The kind's templates and contexts read item.config as ever: phones and the projector get a
    # copy of the item with these fields, and its title, in the viewer's language.
    translatable = ()
    # A template shown under the item on the agenda page, for set-up before the item runs: its own
    # form, posting to one of the kind's facilitator URLs. It gets `workshop` and `item`.
    settings_template = ""
    # Static scripts written into every phone page after the core's (a screen's fragments are
    # swapped in without running their scripts, so a kind's phone script is always there and
    # acts only on its own elements).
    phone_scripts = ()
    # One rendering of the phone screen for the whole room (workshops/screens.py): after a
    # console change 1,000 phones get the same answer, rendered once. Then participant_context is
    # also called with participant None (and the template gets `shared` True): the kind leaves
    # each person's own parts as empty elements data-mine="<name>" (and renders no csrf_token or
    # form key; the phone adds its own). The phone fills them from the template's "mine" partial,
    # rendered for it with mine_context. A kind whose phones each see their own screen (roles, a
    # table's sheet, a person's questions) keeps False: every phone asks for its own screen.
    phone_shared = False
    # Between the two: one rendering per audience of the room (a table, say), when what phones
    # show depends on where people are but not on who they are. phone_audience names a person's
    # audience (None: their own screen); phone_audience_context is participant_context for
    # everyone in it (the template gets `shared` True, and the "mine" partial fills each
    # person's own parts as above). Its `audience_size` (how many phones ask at once) spreads
    # their own requests. The audience's screen is fetched by its phones, never pushed in an
    # event, and only its own people get its address (workshops/screens.py).
    phone_audiences = False

    def template(self, view):
        """The template for a view: participant, facilitator, screen (projector) or results."""
        return f"{self.kind}/{view}.html"

    # --- Set-up --------------------------------------------------------------------------------

    def default_config(self):
        return {}

    def copy_config(self, config):
        """What a duplicated workshop keeps: the set-up, never what participants did."""
        return dict(config)

    def on_copy(self, item, copy):
        """Called in the transaction that duplicates a workshop, once `copy` (the new item, its
        config from copy_config) exists: copy the set-up the kind keeps in its own tables for
        `item` (never what participants did)."""

    def starter_items(self):
        """Items this kind adds to the starter agenda: (position, title, minutes, config).
        The core sorts every kind's items by position (10, 20, ...)."""
        return []

    # --- Screens -------------------------------------------------------------------------------

    def participant_context(self, item, participant):
        return {}

    def phone_audience(self, item, participant):
        """The name of this person's audience (letters, digits, -), or None for their own screen."""
        return None

    def phone_audience_context(self, item, audience):
        """participant_context for everyone in `audience`, or None if it is not one any more."""
        return None

    def mine_context(self, item, participant):
        """A shared phone screen's personal parts for one person (see phone_shared), for the
        participant template's "mine" partial. Its `mine_for` must equal the shared screen's, or
        the phone leaves that screen's parts empty until its next screen."""
        return {}

    def facilitator_context(self, item):
        return {}

    def screen_context(self, item):
        return {}

    def results_context(self, item):
        return {}

    def results_html(self, item):
        """The item's part of the results page and of the PDF report."""
        context = {"workshop": item.workshop, "item": item, **self.results_context(item)}
        return render_to_string(self.template("results"), context)

    # --- Running -------------------------------------------------------------------------------

    def on_start(self, item):
        """Called inside the transaction that makes the item current."""

    def seats_held(self, item):
        """While this kind's item runs, may the console's people panel move people between tables?
        None: yes. A message: no, because the kind seats people itself (the case simulation's roles
        follow their tables); the message says where to move people instead."""
        return None

    # --- People (the facilitator removing a person, or merging two entries of one person) --------

    def participant_summary(self, participant):
        """What this person did in this kind, a few words each ("3 notes"), for the facilitator
        who decides whether to remove them (it goes with them) or merge them into another entry."""
        return []

    def participant_held(self, participant):
        """A message if this person may not be removed or merged away now (they play a role at a
        table, say), saying what to do first; else None."""
        return None

    def merge_participant(self, source, target):
        """`source` and `target` are one person who joined twice: give `target` what `source` did
        in this kind. Called in the merge's transaction, before `source` is deleted with whatever
        of theirs is left (a kind that keeps nothing per person does nothing)."""

    def urls(self):
        """(participant patterns, facilitator patterns), imported when the URLconf loads.
        The core mounts them under w/<code>/<kind>/ and convene/<pk>/items/<item_pk>/<kind>/,
        in the URL namespace workshops:<kind>."""
        return [], []

    def exports(self):
        """Downloads on the results page: a list of Export."""
        return []


class Export:
    """A CSV download of one kind for one workshop, served by the core at
    convene/<pk>/exports/<kind>/<name> through intersector.spreadsheets (formula-safe cells).

    `header()` gives the column names and `rows(workshop)` the rows; both are called per request
    (so the names are in the reader's language)."""

    def __init__(self, name, label, header, rows, filename="{code}-{name}"):
        self.name = name
        self.label = label
        self.header = header
        self.rows = rows
        self.filename_pattern = filename

    def filename(self, workshop):
        return self.filename_pattern.format(code=workshop.code, name=self.name)


class SimpleActivity(Activity):
    """A kind that shows a title, a text for the phones and the timer, and collects nothing."""

    translatable = ("text",)
    phone_shared = True  # the same text for everyone

    def template(self, view):
        return f"workshops/activities/simple/{view}.html"

    def default_config(self):
        return {"text": ""}

    def _text(self, item):
        return {"text": item.config.get("text", "")}

    def participant_context(self, item, participant):
        return self._text(item)

    def facilitator_context(self, item):
        return self._text(item)

    screen_context = results_context = facilitator_context


class UnavailableActivity(Activity):
    """An item whose kind is not installed on this site (a removed plug-in). Its set-up is kept
    untouched; it shows a plain notice everywhere and cannot be run."""

    available = False

    def __init__(self, kind):
        self.kind = kind
        self.label = _("Not available on this site")

    def template(self, view):
        return "workshops/activities/unavailable.html"


NO_TEXT = _("Nothing to do on your phone right now.")
