"""The filters, sorts and searches of each collection: shared by the pages and the API."""

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from intersector.library import vocab
from intersector.library.models import Briefing, Case, Resource, Stage, Term, Tool
from intersector.library.search import Facet, Listing, term_facet


def _states():
    # order_by(): the model's default ordering (title) would make DISTINCT keep one row per case.
    present = Case.objects.filter(live=True).exclude(state="").order_by().values_list("state", flat=True).distinct()
    return sorted(((code, vocab.US_STATES.get(code, code)) for code in present), key=lambda pair: pair[1])


def _tools():
    return [(slug, title) for slug, title in Tool.objects.filter(live=True).values_list("slug", "title")]


def case_facets():
    return [
        term_facet("issue", _("Issue area"), vocab.ISSUE_AREA, "issue_area__key", many=False),
        Facet("state", _("State"), "state", False, _states, known_keys=lambda: set(vocab.US_STATES)),
        term_facet("sector", _("Sectors involved"), vocab.SECTOR, "sectors__key", many=True),
        term_facet("model", _("Partnership model"), vocab.PARTNERSHIP_MODEL, "partnership_model__key", many=False),
        Facet("tool", _("Toolkit tool"), "tools__slug", True, _tools),
    ]


CASE_SORTS = {
    "newest": (_("Newest first"), ("-start_year", "title")),
    "oldest": (_("Oldest first"), ("start_year", "title")),
    "title": (_("Title (A–Z)"), ("title",)),
}


def toolkit_version():
    """Changes whenever a published tool, or the stage it belongs to, is added, edited or removed
    (an edit sets `updated` to now, the newest of all, so the latest one always moves)."""
    state = Tool.objects.filter(live=True).aggregate(
        n=Count("*"), tools=Max("updated"), stages=Max("stage__updated")
    )
    return f"{state['n']}:{state['tools']}:{state['stages']}"


def published_cases():
    # The stored vector is for "cases like this one" only: pages never read it.
    return Case.objects.filter(live=True).defer("vector").select_related("issue_area", "partnership_model").prefetch_related(
        Prefetch("sectors", queryset=Term.objects.order_by("sort_order"))
    )


def case_listing(querydict):
    return Listing(
        queryset=published_cases(),
        facets=case_facets(),
        sorts=CASE_SORTS,
        default_sort="newest",
        querydict=querydict,
        snippet_fields=("summary", "story"),
    )


def resource_facets():
    return [
        Facet("type", _("Type"), "type", False, lambda: list(vocab.RESOURCE_TYPES.items())),
        term_facet("sector", _("Sectors"), vocab.SECTOR, "sectors__key", many=True),
        term_facet("model", _("Partnership model"), vocab.PARTNERSHIP_MODEL, "partnership_models__key", many=True),
        term_facet("issue", _("Issue area"), vocab.ISSUE_AREA, "issue_areas__key", many=True),
    ]


RESOURCE_SORTS = {
    "newest": (_("Newest first"), ("-year", "title")),
    "oldest": (_("Oldest first"), ("year", "title")),
    "title": (_("Title (A–Z)"), ("title",)),
}


def published_resources():
    return Resource.objects.filter(live=True).prefetch_related("sectors", "partnership_models", "issue_areas")


def resource_listing(querydict, page_size=20):
    return Listing(
        queryset=published_resources(),
        facets=resource_facets(),
        sorts=RESOURCE_SORTS,
        default_sort="newest",
        querydict=querydict,
        snippet_fields=("summary", "title"),
        page_size=page_size,
    )


def briefing_facets():
    return [
        Facet("series", _("Series"), "series", False, lambda: list(vocab.SERIES.items())),
        term_facet("sector", _("Of interest to"), vocab.SECTOR, "of_interest_to__key", many=True),
    ]


BRIEFING_SORTS = {
    "newest": (_("Newest first"), ("-date", "title")),
    "oldest": (_("Oldest first"), ("date", "title")),
}


def briefing_listing(querydict):
    return Listing(
        queryset=Briefing.objects.filter(live=True).prefetch_related("of_interest_to"),
        facets=briefing_facets(),
        sorts=BRIEFING_SORTS,
        default_sort="newest",
        querydict=querydict,
        snippet_fields=("summary", "body"),
    )


def tool_listing(querydict):
    return Listing(
        queryset=Tool.objects.filter(live=True).select_related("stage"),
        extra=Q(stage__live=True),
        facets=[Facet("stage", _("Stage"), "stage__slug", False, lambda: list(
            Stage.objects.filter(live=True).values_list("slug", "title")))],
        sorts={"toolkit": (_("Toolkit order"), ("stage__sort_order", "sort_order", "title"))},
        default_sort="toolkit",
        querydict=querydict,
        snippet_fields=("definition", "why", "example"),
    )
