"""Case packs kept in the database: one `StoredPack` per key and language.

`data` is the whole pack as `to_data(pack)` gives it: what the simulation reads and what
"Download" writes. The rows (roles, sections, phases...) are the same pack laid out as form
fields for staff editing it in /cms/; saving the form checks them with `casepacks.validate`,
rebuilds `data` and raises `version` by one when anything changed (forms.py, services.py).
"""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from intersector.casepacks.packs import PHASE_KEYS, SECTORS

SECTOR_CHOICES = [("government", _("Government")), ("business", _("Business")),
                  ("non-profit", _("Non-profit"))]
PHASE_CHOICES = [("read", _("Read the case and roles")),
                 ("choose-families", _("Choose the question families")),
                 ("negotiate", _("Negotiate")), ("present", _("Prepare the presentation"))]
assert [key for key, _label in SECTOR_CHOICES] == SECTORS
assert [key for key, _label in PHASE_CHOICES] == PHASE_KEYS

KEY_HELP = _("Lower-case letters, digits and hyphens, for example 'transit-district'.")
ITEMS_HELP = _("One item per line. Start a line with the scorecard element it is about and a "
               "colon, for example 'finances: Money kept in the city's books.'")


class StoredPack(ClusterableModel):
    key = models.CharField(_("key"), max_length=80, help_text=format_lazy(
        "{} {}", _("Names the case in every language, for example 'sacramento'."), KEY_HELP))
    language = models.CharField(_("language"), max_length=20, default="en",
                                help_text=_("A language code such as 'en' or 'es'."))
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_(
        "Goes up by one each time the pack is changed."))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences: what the case is about."))
    source = models.TextField(_("source"), help_text=_("Where the case comes from and who wrote it."))
    licence = models.TextField(_("licence"), help_text=_("Who may use the case, and under which licence."))
    families_min = models.PositiveSmallIntegerField(_("fewest question families"), default=3)
    families_max = models.PositiveSmallIntegerField(_("most question families"), default=5)
    results_intro = models.TextField(_("results form: introduction"), help_text=_(
        "What each table fills in at the end."))
    data = models.JSONField(_("the whole pack"), default=dict, editable=False)
    starter = models.BooleanField(_("starter pack"), default=False, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("case pack")
        verbose_name_plural = _("case packs")
        ordering = ["key", "language"]
        constraints = [models.UniqueConstraint(fields=["key", "language"],
                                               name="casepacks_one_pack_per_key_and_language")]

    def __str__(self):
        return f"{self.title} ({self.language})"

    @property
    def filename(self):
        return f"{self.key}.yaml" if self.language == "en" else f"{self.key}.{self.language}.yaml"


class Row(Orderable):
    class Meta(Orderable.Meta):
        abstract = True


class Section(Row):
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"))

    panels = [FieldPanel("heading"), FieldPanel("text")]

    class Meta(Row.Meta):
        abstract = True


class BackgroundSection(Section):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="background_rows")


class GuideSection(Section):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="guide_rows")


class InterestGroup(Row):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="group_rows")
    key = models.CharField(_("key"), max_length=80, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldRowPanel([FieldPanel("key"), FieldPanel("name")]), FieldPanel("description")]


class Role(Row):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="role_rows")
    key = models.CharField(_("key"), max_length=80, help_text=KEY_HELP)
    name = models.CharField(_("job title"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=300)
    sector = models.CharField(_("sector"), max_length=20, choices=SECTOR_CHOICES)
    interest_group = models.CharField(_("interest group"), max_length=80, help_text=_(
        "The key of one of the pack's interest groups."))
    focus = models.CharField(_("focus"), max_length=300, blank=True, help_text=_(
        "Optional, for example which community a group speaks for."))
    elements = models.TextField(_("scorecard elements"), help_text=_(
        "The scorecard elements this role cares about, separated by commas, for example "
        "'finances, governance'."))
    brief = models.TextField(_("confidential brief"), help_text=_(
        "Written to the person playing the role; at most 1,200 words."))
    must_get = models.TextField(_("must get"), help_text=format_lazy(
        "{} {}", ITEMS_HELP, _("End a line with '[against: role-key, other-role-key]' to name the "
                               "roles it runs into.")))
    can_give = models.TextField(_("can give"), help_text=ITEMS_HELP)
    red_lines = models.TextField(_("red lines"), help_text=ITEMS_HELP)

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("sector")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("interest_group"), FieldPanel("focus")]),
        FieldPanel("elements"), FieldPanel("brief"),
        FieldPanel("must_get"), FieldPanel("can_give"), FieldPanel("red_lines"),
    ]


class Phase(Row):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="phase_rows")
    key = models.CharField(_("phase"), max_length=20, choices=PHASE_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    instructions = models.TextField(_("instructions"), blank=True)

    panels = [FieldRowPanel([FieldPanel("key"), FieldPanel("minutes")]), FieldPanel("title"),
              FieldPanel("instructions")]


class DebriefQuestion(Row):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="debrief_rows")
    key = models.CharField(_("key"), max_length=80, help_text=KEY_HELP)
    question = models.TextField(_("question"))

    panels = [FieldPanel("key"), FieldPanel("question")]


class ResultField(Row):
    pack = ParentalKey(StoredPack, on_delete=models.CASCADE, related_name="result_rows")
    key = models.CharField(_("key"), max_length=80, help_text=KEY_HELP)
    label = models.CharField(_("label"), max_length=300)
    help = models.TextField(_("help"), blank=True)

    panels = [FieldRowPanel([FieldPanel("key"), FieldPanel("label")]), FieldPanel("help")]


class LoadedStarter(models.Model):
    """A starter pack file loaded once: never loaded again, so staff edits and deletions stay."""

    key = models.CharField(max_length=80)
    language = models.CharField(max_length=20)
    loaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "language"],
                                               name="casepacks_starter_loaded_once")]
