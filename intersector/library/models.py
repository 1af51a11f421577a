"""Learn: the toolkit, the case library, the resource library and research briefings.

Plain Django models registered as Wagtail snippets (see wagtail_hooks.py), so curators get
drafts, revisions and preview in /cms/, while the public pages are fast function views that
filter on the database. Only published (live) items are ever shown to the public.
"""

import hashlib

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin
from wagtail.search import index

from intersector.library import vocab

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "image", "hr"]
STARTER_HELP = _(
    "Ticked for the examples that came with the site. Replace or untick them once you have your own."
)


class Term(models.Model):
    """One key of a controlled vocabulary: a sector, an issue area or a partnership model."""

    VOCABULARY_CHOICES = [(key, name) for key, name in vocab.VOCABULARY_NAMES.items()]

    vocabulary = models.CharField(_("list"), max_length=30, choices=VOCABULARY_CHOICES)
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["vocabulary", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "key"], name="library_term_unique_key")
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        known = vocab.VOCABULARIES.get(self.vocabulary, {})
        return known[self.key] if self.key in known else self.name


def sectors_only():
    return {"vocabulary": vocab.SECTOR}


def issue_areas_only():
    return {"vocabulary": vocab.ISSUE_AREA}


def models_only():
    return {"vocabulary": vocab.PARTNERSHIP_MODEL}


class LibraryItem(DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    """What every Learn item shares: a slug, a starter mark, drafts, revisions and preview."""

    slug = models.SlugField(_("short name for web addresses"), max_length=100, unique=True)
    starter = models.BooleanField(_("starter example"), default=False, help_text=STARTER_HELP)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        # Each model declares its own `_revisions` relation (the related query names differ).
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return self.preview_template

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context.update(self.page_context())
        context["preview"] = True
        return context

    def page_context(self):
        return {"item": self}


# --- Toolkit --------------------------------------------------------------------------------


class Stage(LibraryItem):
    """One of the four stages of a collaboration, with its guiding question."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="library_stage")
    title = models.CharField(_("title"), max_length=100)
    question = models.CharField(_("guiding question"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("question"),
        FieldPanel("summary"),
        FieldPanel("sort_order"),
        FieldPanel("starter"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("question", boost=2),
        index.SearchField("summary"),
        index.FilterField("live"),
    ]
    preview_template = "library/stage_detail.html"

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("toolkit stage")
        verbose_name_plural = _("toolkit stages")

    def get_absolute_url(self):
        return reverse("library:stage", args=[self.slug])

    def page_context(self):
        return {"stage": self, "tools": self.tools.filter(live=True)}


class Tool(LibraryItem):
    """A toolkit tool: what it is, why it matters, questions to ask, an example from a case."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="library_tool")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="tools")
    title = models.CharField(_("title"), max_length=150)
    definition = models.CharField(_("one-line definition"), max_length=300)
    why = models.TextField(_("why it matters"))
    questions = models.TextField(
        _("guiding questions"), help_text=_("One question per line; three to five questions.")
    )
    example = models.TextField(_("example"), blank=True)
    example_case = models.ForeignKey(
        "library.Case",
        verbose_name=_("example case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="example_for",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("stage"),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("definition"),
        FieldPanel("why"),
        FieldPanel("questions"),
        FieldPanel("example"),
        FieldPanel("example_case"),
        FieldPanel("sort_order"),
        FieldPanel("starter"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("definition", boost=2),
        index.SearchField("why"),
        index.SearchField("questions"),
        index.SearchField("example"),
        index.FilterField("live"),
    ]
    preview_template = "library/tool_detail.html"

    class Meta:
        ordering = ["stage__sort_order", "sort_order", "title"]
        verbose_name = _("toolkit tool")
        verbose_name_plural = _("toolkit tools")

    def get_absolute_url(self):
        return reverse("library:tool", args=[self.slug])

    @property
    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def example_paragraphs(self):
        return paragraphs(self.example)

    @property
    def why_paragraphs(self):
        return paragraphs(self.why)

    def page_context(self):
        return {"tool": self, "stage": self.stage, "cases": self.cases.all()}


# --- Cases ----------------------------------------------------------------------------------


class Case(LibraryItem):
    """A real collaboration described from public sources."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="library_case")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences."))
    story = RichTextField(_("full story"), features=RICH_TEXT_FEATURES, blank=True)
    issue_area = models.ForeignKey(
        Term,
        verbose_name=_("issue area"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=issue_areas_only,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=2, blank=True, choices=sorted(vocab.US_STATES.items()), db_index=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True, db_index=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, help_text=_("Leave empty if it is still going.")
    )
    sectors = ParentalManyToManyField(
        Term, verbose_name=_("sectors involved"), related_name="+", limit_choices_to=sectors_only, blank=True
    )
    partnership_model = models.ForeignKey(
        Term,
        verbose_name=_("partnership model"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=models_only,
    )
    tools = ParentalManyToManyField(
        Tool, verbose_name=_("toolkit tools it illustrates"), related_name="cases", blank=True
    )
    # "Cases like this one": the text's vector, stored so that pages don't recompute it.
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_model = models.CharField(max_length=100, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("issue_area"),
                FieldPanel("partnership_model"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("state")]),
                FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
                FieldPanel("sectors"),
                FieldPanel("tools"),
            ],
            heading=_("Where, when, who, how"),
        ),
        InlinePanel("partners", heading=_("Partner organisations"), label=_("Partner")),
        InlinePanel("outcomes", heading=_("Outcomes"), label=_("Outcome")),
        InlinePanel("sources", heading=_("Sources"), label=_("Source")),
        FieldPanel("starter"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("story"),
        index.SearchField("city"),
        index.RelatedFields("partners", [index.SearchField("name")]),
        index.FilterField("live"),
        index.FilterField("state"),
        index.FilterField("start_year"),
    ]
    preview_template = "library/case_detail.html"

    class Meta:
        ordering = ["title"]
        # The listings' version check (count and latest edit of the published items) and the
        # similar cases' one (how many vectors are stored) read only this index, not the table.
        indexes = [
            models.Index(fields=["live", "updated", "vector_model"], name="library_case_live_updated"),
            models.Index(fields=["live", "state"], name="library_case_live_state"),  # the State filter's options
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def get_absolute_url(self):
        return reverse("library:case", args=[self.slug])

    @property
    def years(self):
        if not self.start_year:
            return ""
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year or _('today')}"

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.state) if part)

    def save(self, *args, **kwargs):
        # A stored vector belongs to one text: when the text changes, it must be recomputed.
        if self.vector_model and not self.vector_model.endswith(":" + self.text_digest()):
            self.vector, self.vector_model = None, ""
        super().save(*args, **kwargs)
        if self.live and not self.vector_model:
            # Computed in the background once the save is committed: embedding takes seconds.
            from intersector.library import similar

            transaction.on_commit(similar.schedule_refresh_quietly)

    def text_digest(self):
        return hashlib.sha1(self.text_for_similarity().encode()).hexdigest()[:12]

    def text_for_similarity(self):
        """The words "cases like this one" compares: what it is about, not who wrote it."""
        return "\n".join([self.title, self.summary, strip_tags(self.story or "")])[:4000]

    def page_context(self):
        return {"case": self, "tools": self.tools.all(), "example_for": [], "similar": []}


class CasePartner(Orderable):
    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(
        _("sector"), max_length=20, choices=list(vocab.VOCABULARIES[vocab.SECTOR].items())
    )
    role = models.CharField(_("role"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("sector"), FieldPanel("role")]

    def sector_label(self):
        return vocab.label(vocab.SECTOR, self.sector)


class CaseOutcome(Orderable):
    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    text = models.CharField(_("outcome"), max_length=300)
    figure = models.CharField(_("figure"), max_length=100, blank=True)

    panels = [FieldPanel("text"), FieldPanel("figure")]


class CaseSource(Orderable):
    case = ParentalKey(Case, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    panels = [FieldPanel("title"), FieldPanel("publisher"), FieldPanel("year"), FieldPanel("url")]


# --- Resources ------------------------------------------------------------------------------


class Resource(LibraryItem):
    """A publication, tool or recording worth reading, with our own summary."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="library_resource")
    TYPE_CHOICES = list(vocab.RESOURCE_TYPES.items())

    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(
        _("authors"), max_length=500, blank=True, help_text=_("Separate several authors with semicolons.")
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    type = models.CharField(_("type"), max_length=20, choices=TYPE_CHOICES, db_index=True)
    sectors = ParentalManyToManyField(
        Term, verbose_name=_("sectors"), related_name="+", limit_choices_to=sectors_only, blank=True
    )
    partnership_models = ParentalManyToManyField(
        Term, verbose_name=_("partnership models"), related_name="+", limit_choices_to=models_only, blank=True
    )
    issue_areas = ParentalManyToManyField(
        Term, verbose_name=_("issue areas"), related_name="+", limit_choices_to=issue_areas_only, blank=True
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("our summary"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("authors"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("year")]),
        FieldPanel("type"),
        FieldPanel("sectors"),
        FieldPanel("partnership_models"),
        FieldPanel("issue_areas"),
        FieldPanel("url"),
        FieldPanel("summary"),
        FieldPanel("starter"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("authors", boost=2),
        index.SearchField("publisher"),
        index.SearchField("summary"),
        index.FilterField("live"),
        index.FilterField("type"),
        index.FilterField("year"),
    ]
    preview_template = "library/resource_detail.html"

    class Meta:
        ordering = ["-year", "title"]
        # The listings' version check (count and latest edit of the published items) reads
        # only this index instead of the whole table.
        indexes = [models.Index(fields=["live", "updated"], name="library_resource_live_updated")]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def get_absolute_url(self):
        return reverse("library:resource", args=[self.slug])

    @property
    def author_list(self):
        return [name.strip() for name in self.authors.split(";") if name.strip()]

    def type_label(self):
        return vocab.RESOURCE_TYPES.get(self.type, self.type)

    def page_context(self):
        return {"resource": self}


# Research briefings live in briefing_models.py (this file passed 500 lines).


def paragraphs(text):
    return [block.strip() for block in (text or "").split("\n\n") if block.strip()]


# The newsletter and the library's bookkeeping live in records.py (this file passed 500 lines);
# imported here so they are the app's models, as before.
from intersector.library.briefing_models import Briefing  # noqa: E402,F401
from intersector.library.records import (  # noqa: E402,F401
    NewsletterDelivery, NewsletterIssue, ResourceImport, StarterRecord, Subscriber)
