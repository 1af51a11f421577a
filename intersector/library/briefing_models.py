"""Learn's research briefings, in three series: one of the library's items (LibraryItem, models.py),
apart from models.py only for length; models.py imports it, so it is the app's model as before."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from intersector.library import vocab
from intersector.library.models import RICH_TEXT_FEATURES, LibraryItem, Term, sectors_only


class Briefing(LibraryItem):
    """A research briefing in one of three series."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="library_briefing")
    SERIES_CHOICES = list(vocab.SERIES.items())

    series = models.CharField(_("series"), max_length=30, choices=SERIES_CHOICES, db_index=True)
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"), db_index=True)
    summary = models.TextField(_("summary"))
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)
    of_interest_to = ParentalManyToManyField(
        Term, verbose_name=_("of interest to"), related_name="+", limit_choices_to=sectors_only, blank=True
    )
    takeaways = models.TextField(_("takeaways"), blank=True, help_text=_("One takeaway per line."))
    article_title = models.CharField(_("article discussed: title"), max_length=300, blank=True)
    article_authors = models.CharField(_("article discussed: authors"), max_length=500, blank=True)
    article_publisher = models.CharField(_("article discussed: published in"), max_length=200, blank=True)
    article_year = models.PositiveSmallIntegerField(_("article discussed: year"), null=True, blank=True)
    researcher_name = models.CharField(_("researcher"), max_length=200, blank=True)
    researcher_affiliation = models.CharField(_("researcher's affiliation"), max_length=300, blank=True)

    panels = [
        FieldPanel("series"),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("of_interest_to"),
        FieldPanel("takeaways"),
        MultiFieldPanel(
            [
                FieldPanel("article_title"),
                FieldPanel("article_authors"),
                FieldRowPanel([FieldPanel("article_publisher"), FieldPanel("article_year")]),
            ],
            heading=_("Research to practice: the article discussed"),
        ),
        MultiFieldPanel(
            [FieldPanel("researcher_name"), FieldPanel("researcher_affiliation")],
            heading=_("Researcher insights: the researcher"),
        ),
        FieldPanel("starter"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("takeaways"),
        index.SearchField("article_title"),
        index.SearchField("researcher_name"),
        index.FilterField("live"),
        index.FilterField("series"),
    ]
    preview_template = "library/briefing_detail.html"

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("research briefing")
        verbose_name_plural = _("research briefings")

    def get_absolute_url(self):
        return reverse("library:briefing", args=[self.slug])

    def series_label(self):
        return vocab.SERIES.get(self.series, self.series)

    @property
    def takeaway_list(self):
        return [line.strip() for line in self.takeaways.splitlines() if line.strip()]

    def page_context(self):
        return {"briefing": self}
