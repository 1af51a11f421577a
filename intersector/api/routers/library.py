"""Learn's read API: the case library, the resource library and the toolkit.

The same filters and search as the pages (the same code builds both), paginated. Published
content is public, so these addresses need no token.
"""

from typing import List, Optional

from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from intersector.api.routers.me import ErrorOut
from intersector.api.routers.params import Text
from intersector.library import listings, vocab
from intersector.library.models import Stage, Tool
from intersector.refusals import Refused

router = Router(tags=["learn"])
MAX_PAGE_SIZE = 100


class FacetOption(Schema):
    key: str
    label: str
    count: int
    selected: bool


class Facet(Schema):
    param: str
    label: str
    options: List[FacetOption]


class Term(Schema):
    key: str
    label: str


class CaseOut(Schema):
    slug: str
    title: str
    summary: str
    url: str
    issue_area: Term
    partnership_model: Term
    city: str
    state: str
    start_year: Optional[int]
    end_year: Optional[int]
    sectors: List[Term]
    snippet: str


class ResourceOut(Schema):
    slug: str
    title: str
    authors: List[str]
    publisher: str
    year: Optional[int]
    type: str
    url: str
    page_url: str
    summary: str
    sectors: List[Term]
    partnership_models: List[Term]
    issue_areas: List[Term]
    snippet: str


class Page(Schema):
    count: int
    page: int
    pages: int
    next: Optional[str]
    previous: Optional[str]
    query: str
    sort: str
    facets: List[Facet]


class CasePage(Page):
    results: List[CaseOut]


class ResourcePage(Page):
    results: List[ResourceOut]


class ToolOut(Schema):
    slug: str
    title: str
    definition: str
    why: str
    questions: List[str]
    example: str
    example_case: Optional[str]
    url: str


class StageOut(Schema):
    slug: str
    title: str
    question: str
    summary: str
    url: str
    tools: List[ToolOut]


class ToolkitOut(Schema):
    stages: List[StageOut]
    query: str


class ListFilters(Schema):
    q: Text = Field("", description="Words to search for.")
    sort: Text = Field("", description="relevance (when searching), newest, oldest or title; "
                                       "anything else gives the default order.")
    page: int = Field(1, ge=1, description="The page number, from 1.")
    page_size: int = Field(20, description=f"Results per page, 1 to {MAX_PAGE_SIZE} (a larger "
                                           f"number gives {MAX_PAGE_SIZE}).")


class CaseFilters(ListFilters):
    issue: List[Text] = Field([], description="Issue area keys.")
    state: List[Text] = Field([], description="Two-letter state codes.")
    sector: List[Text] = Field([], description="Sector keys.")
    model: List[Text] = Field([], description="Partnership model keys.")
    tool: List[Text] = Field([], description="Toolkit tool slugs.")


class ResourceFilters(ListFilters):
    type: List[Text] = Field([], description="Resource types.")
    sector: List[Text] = Field([], description="Sector keys.")
    model: List[Text] = Field([], description="Partnership model keys.")
    issue: List[Text] = Field([], description="Issue area keys.")


def _term(term):
    return {"key": term.key, "label": str(term.label)}


def _page(request, listing, filters, serialise):
    listing.page_size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    from django.core.paginator import EmptyPage, Paginator

    paginator = Paginator(listing.results(), listing.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        raise Refused(_("There is no page %(n)s: the last page is %(last)s.") % {
            "n": filters.page, "last": paginator.num_pages}, status=404) from None

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "query": listing.words,
        "sort": listing.sort,
        "facets": [
            {"param": f.facet.param, "label": str(f.facet.label),
             "options": [{**o, "label": str(o["label"])} for o in f.options]}
            for f in listing.facet_counts()
        ],
        "results": [serialise(request, item, listing) for item in page.object_list],
    }


def _case(request, case, listing):
    return {
        "slug": case.slug, "title": case.title, "summary": case.summary,
        "url": request.build_absolute_uri(case.get_absolute_url()),
        "issue_area": _term(case.issue_area), "partnership_model": _term(case.partnership_model),
        "city": case.city, "state": case.state, "start_year": case.start_year, "end_year": case.end_year,
        "sectors": [_term(t) for t in case.sectors.all()],
        "snippet": strip_tags(listing.snippet(case)),
    }


def _resource(request, resource, listing):
    return {
        "slug": resource.slug, "title": resource.title, "authors": resource.author_list,
        "publisher": resource.publisher, "year": resource.year, "type": resource.type, "url": resource.url,
        "page_url": request.build_absolute_uri(resource.get_absolute_url()), "summary": resource.summary,
        "sectors": [_term(t) for t in resource.sectors.all()],
        "partnership_models": [_term(t) for t in resource.partnership_models.all()],
        "issue_areas": [_term(t) for t in resource.issue_areas.all()],
        "snippet": strip_tags(listing.snippet(resource)),
    }


FILTER_HELP = (
    "Filters repeat for several values (OR within one filter, AND across filters). "
    "`q` searches the text (all words must match; word forms are matched). "
    "`sort`: relevance (when searching), newest, oldest or title. Each answer lists the facets "
    "with counts, like the filters on the page."
)


@router.get(
    "/cases", auth=None, response={200: CasePage, 404: ErrorOut, 422: ErrorOut}, summary="Case library",
    description="Published cases. Filters: `issue` (issue area key), `state` (two letters), `sector`, "
    "`model` (partnership model key), `tool` (toolkit tool slug). " + FILTER_HELP,
)
def cases(request, filters: Query[CaseFilters]):
    return _page(request, listings.case_listing(request.GET), filters, _case)


@router.get(
    "/resources", auth=None, response={200: ResourcePage, 404: ErrorOut, 422: ErrorOut}, summary="Resource library",
    description="Published resources. Filters: `type` (" + ", ".join(vocab.RESOURCE_TYPES) + "), `sector`, "
    "`model` (partnership model key), `issue` (issue area key). " + FILTER_HELP,
)
def resources(request, filters: Query[ResourceFilters]):
    return _page(request, listings.resource_listing(request.GET), filters, _resource)


@router.get(
    "/toolkit", auth=None, response={200: ToolkitOut}, summary="Toolkit",
    description="The four stages in order, each with its tools. `q` keeps only the tools that match "
    "the words; `stage` (a stage slug) keeps one stage.",
)
def toolkit(request, q: Text = "", stage: Text = ""):
    listing = listings.tool_listing(request.GET)
    tools = list(listing.filtered().select_related("example_case").order_by("sort_order", "title"))
    stages = Stage.objects.filter(live=True)
    if stage:
        stages = stages.filter(slug=stage)
    return {
        "query": listing.words,
        "stages": [
            {
                "slug": s.slug, "title": s.title, "question": s.question, "summary": s.summary,
                "url": request.build_absolute_uri(s.get_absolute_url()),
                "tools": [_tool(request, t) for t in tools if t.stage_id == s.pk],
            }
            for s in stages
        ],
    }


def _tool(request, tool):
    example = tool.example_case if tool.example_case and tool.example_case.live else None
    return {
        "slug": tool.slug, "title": tool.title, "definition": tool.definition, "why": tool.why,
        "questions": tool.question_list, "example": tool.example,
        "example_case": request.build_absolute_uri(example.get_absolute_url()) if example else None,
        "url": request.build_absolute_uri(tool.get_absolute_url()),
    }
