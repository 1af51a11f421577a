"""What Collaborate's API routers share: who is asking (the pages' own `access.check`), the
refusals every route may give, request bodies that name a misspelt field, and paging.

collaborate.py (collaboratives, people, decisions), collaborate_results.py (commitments, results,
indicators) and collaborate_network.py (the partner network) all use these, so a rule about who
may read or write is said once, in intersector/collaboratives/access.py.
"""

from typing import List, Optional

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from intersector.api.routers.me import ErrorOut
from intersector.collaboratives import access
from intersector.collaboratives.views import _collaborative
from intersector.refusals import Refused

MAX_PAGE_SIZE = 100

# The refusals every route may give (besides the 400 and 429 the API adds to all): no
# credentials, a role that does not allow it, a collaborative or object not found (or not
# shown to this person), a state that does not allow it (a closed decision), a body not as described.
REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def read(schema):
    return {200: schema, **REFUSALS}


def answers(status, schema):
    return {status: schema, **REFUSALS, 409: ErrorOut}


class Body(Schema):
    """A request body: only the fields described (anything else is a 422 naming it, not silently
    dropped; a misspelt field would otherwise be lost without a word)."""

    model_config = ConfigDict(extra="forbid")


class Paging(Schema):
    page: int = Field(1, ge=1, description="The page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Results per page, 1 to {MAX_PAGE_SIZE}.")


def page_schema(name, item):
    return type(name, (Schema,), {"__annotations__": {
        "count": int, "page": int, "pages": int, "next": Optional[str], "previous": Optional[str],
        "results": List[item]}})


def seen(request, slug, action="see"):
    """The collaborative and the caller's Member row (None for a demonstration's visitor), or the
    same refusal the pages give."""
    collaborative = _collaborative(slug)
    return collaborative, access.check(request.auth, collaborative, action)


def paged(request, queryset, paging, serialise):
    paginator = Paginator(queryset, paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        raise Refused(_("There is no page %(n)s: the last page is %(last)s.") % {
            "n": paging.page, "last": paginator.num_pages}, status=404) from None

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return {"count": paginator.count, "page": page.number, "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialise(item) for item in page.object_list]}
