"""Collaborate's API for commitments, results (nested, with their rolled-up progress) and shared
indicators (baseline, target, dated figures), under /api/collaboratives/{slug}/.

As on the commitments and results pages: everyone who sees the collaborative reads them;
convenors make commitments, results and indicators, move dates, record figures and mark what
reports for funders and the public may show; a commitment's holders (the person named on it, or
its partner's representative and alternates) and convenors record its progress. Every write goes
through the pages' own services (commitments.*, results.*, reports.set_visibility).
"""

from datetime import date, datetime
from typing import List, Literal, Optional

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from intersector.api.routers.collaborate_common import Body, Paging, answers, page_schema, paged, read, seen
from intersector.api.routers.params import RequiredText as Required
from intersector.api.routers.params import Text
from intersector.collaboratives import commitments, reports, results
from intersector.collaboratives.models import Commitment, Result, Visibility
from intersector.refusals import Refused

router = Router(tags=["collaborate"])

VISIBILITY = Field(Visibility.PARTNERS, description="partners: only partners' reports show it; public: reports "
                                                    "for funders and the public may show it too.")
# Figures as the database keeps them (two decimals; below 100 billion, so rounding never overflows).
LARGEST = 99_999_999_999
LARGEST_WEIGHT = 99_999  # a weight keeps 7 digits, two after the point


# --- What comes back -------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    what: str
    due: date
    status: Literal[tuple(Commitment.Status.values)]
    status_label: str
    progress: int = Field(description="The share done, 0 to 100.")
    overdue: bool = Field(description="Past its date and not done.")
    done_on: Optional[date]
    partner: Optional[int] = Field(description="The partner that holds it (its id), if any.")
    partner_name: Optional[str]
    owner: Optional[int] = Field(description="The person who holds it (their id), if any.")
    owner_name: Optional[str]
    decision: Optional[int] = Field(description="The decision it comes from, if any.")
    visibility: Literal[tuple(Visibility.values)]
    you_may_update: bool = Field(description="Whether you may record progress on it.")
    url: str


class UpdateOut(Schema):
    at: datetime
    person: Optional[str]
    status: str
    status_label: str
    progress: int
    note: str


class CommitmentDetailOut(CommitmentOut):
    history: List[UpdateOut] = Field(description="Each change, newest first.")


class ResultOut(Schema):
    id: int
    title: str
    parent: Optional[int] = Field(description="The result it is part of (its id), or null for a top result.")
    depth: int = Field(description="1 for a top result, 2 for its sub-results, and so on.")
    children: List[int] = Field(description="Its sub-results' ids, in order.")
    status: Literal[tuple(Result.Status.values)]
    status_label: str
    own_progress: int = Field(description="Its own figure (0-100), used only while it has no sub-results.")
    progress: int = Field(description="The rolled-up progress (0-100): its own figure without sub-results, "
                                      "else the weighted mean of its sub-results' progress.")
    weight: Optional[float] = Field(description="How much it counts beside its siblings; null counts as "
                                                "their mean weight.")
    decision: Optional[int]
    visibility: Literal[tuple(Visibility.values)]
    url: str


class ActualOut(Schema):
    on: date
    value: float
    note: str


class IndicatorOut(Schema):
    id: int
    title: str
    unit: str
    baseline: float
    target: float
    baseline_on: Optional[date]
    target_on: Optional[date]
    actuals: List[ActualOut] = Field(description="The measured figures, oldest first.")
    latest: Optional[ActualOut]
    towards_target: Optional[int] = Field(description="How far the latest figure has come from the baseline "
                                                      "towards the target, in % (below 0 or above 100 when it "
                                                      "went the other way or past it).")
    visibility: Literal[tuple(Visibility.values)]
    url: str


CommitmentPage = page_schema("CommitmentPage", CommitmentOut)


# --- What goes in ----------------------------------------------------------------------------


class CommitmentIn(Body):
    what: Required = Field(max_length=commitments.MAX_WHAT, description="What will be done.")
    due: date = Field(description="The date it is due by: today or later.")
    partner: Optional[int] = Field(None, description="The partner that commits (its id).")
    owner: Optional[int] = Field(None, description="The person who commits (their id).")
    decision: Optional[int] = Field(None, description="The decision it comes from: a closed one (its id).")
    visibility: Literal[tuple(Visibility.values)] = VISIBILITY


class ProgressIn(Body):
    status: Literal[tuple(Commitment.Status.values)]
    progress: Optional[int] = Field(None, ge=0, le=100, description="The share done, 0 to 100 (left out: as it "
                                                                   "was; done is always 100).")
    note: Text = Field("", max_length=commitments.MAX_NOTE)


class DueIn(Body):
    due: date = Field(description="The new date: today or later.")


class VisibilityIn(Body):
    visibility: Literal[tuple(Visibility.values)] = Field(description="partners: only partners' reports show "
                                                                      "it; public: reports for funders and the "
                                                                      "public may show it too.")


class ResultIn(Body):
    title: Required = Field(max_length=200)
    parent: Optional[int] = Field(None, description="The result it is part of (its id); results nest at most "
                                                    f"{results.MAX_DEPTH} levels deep.")
    weight: Optional[float] = Field(None, ge=0, le=LARGEST_WEIGHT, allow_inf_nan=False,
                                    description="How much it counts beside its siblings (null: their mean).")
    status: Literal[tuple(Result.Status.values)] = Result.Status.NOT_STARTED
    progress: Optional[int] = Field(None, ge=0, le=100, description="Its own figure (left out: 0, or 100 when done).")
    decision: Optional[int] = Field(None, description="The decision it comes from (its id).")
    visibility: Literal[tuple(Visibility.values)] = VISIBILITY


class ResultUpdateIn(Body):
    status: Literal[tuple(Result.Status.values)]
    progress: Optional[int] = Field(None, ge=0, le=100, description="Its own figure (left out: 0 when not "
                                                                   "started, 100 when done, else as it was).")
    weight: Optional[float] = Field(None, ge=0, le=LARGEST_WEIGHT, allow_inf_nan=False,
                                    description="Left out: as it was; null: counts as its siblings' mean.")


class IndicatorIn(Body):
    title: Required = Field(max_length=200)
    unit: Required = Field(max_length=60, description="What is counted: riders, tonnes, %...")
    baseline: float = Field(ge=-LARGEST, le=LARGEST, allow_inf_nan=False, description="Where it started.")
    target: float = Field(ge=-LARGEST, le=LARGEST, allow_inf_nan=False,
                          description="Where the partners aim: not the baseline.")
    baseline_on: Optional[date] = None
    target_on: Optional[date] = Field(None, description="After the baseline date.")
    visibility: Literal[tuple(Visibility.values)] = VISIBILITY


class ActualIn(Body):
    on: date = Field(description="The day it was measured: today or earlier, one figure a day.")
    value: float = Field(ge=-LARGEST, le=LARGEST, allow_inf_nan=False)
    note: Text = Field("", max_length=300)


# --- Helpers ---------------------------------------------------------------------------------


def _page(request, collaborative, name, anchor):
    return request.build_absolute_uri(reverse(f"collaboratives:{name}", args=[collaborative.slug]) + anchor)


def _commitment_out(request, collaborative, member, commitment, today):
    return {"id": commitment.pk, "what": commitment.what, "due": commitment.due, "status": commitment.status,
            "status_label": str(commitment.get_status_display()), "progress": commitment.progress,
            "overdue": commitment.is_overdue(today), "done_on": commitment.done_on,
            "partner": commitment.partner_id,
            "partner_name": commitment.partner.organisation.name if commitment.partner else None,
            "owner": commitment.owner_id, "owner_name": commitment.owner.name if commitment.owner else None,
            "decision": commitment.decision_id, "visibility": commitment.visibility,
            "you_may_update": commitments.may_update(member, commitment),
            "url": _page(request, collaborative, "commitments", f"#c{commitment.pk}")}


def _commitment_detail(request, collaborative, member, commitment):
    out = _commitment_out(request, collaborative, member, commitment, timezone.localdate())
    out["history"] = [{"at": u.at, "person": u.member.name if u.member else None, "status": u.status,
                       "status_label": str(u.get_status_display()), "progress": u.progress, "note": u.said}
                      for u in commitment.updates.select_related("member")]
    return out


def _commitment(collaborative, pk):
    commitment = (collaborative.commitments.select_related("partner__organisation", "owner")
                  .filter(pk=pk).first())
    if commitment is None:
        raise Refused(_("We could not find that commitment."), status=404)
    return commitment


def _one_of(queryset, pk, message):
    """One of this collaborative's partners, people, results or decisions, by id (None: None);
    an id from elsewhere is refused as the pages refuse it (400 naming what to choose)."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Refused(message, status=400)
    return found


def _result_rows(request, collaborative):
    return [{"id": r.pk, "title": r.title, "parent": r.parent_id, "depth": r.depth,
             "children": [kid.pk for kid in r.kids], "status": r.status,
             "status_label": str(r.get_status_display()), "own_progress": r.progress, "progress": r.rolled,
             "weight": float(r.weight) if r.weight is not None else None, "decision": r.decision_id,
             "visibility": r.visibility, "url": _page(request, collaborative, "results", f"#r{r.pk}")}
            for r in results.tree(collaborative)]


def _result_of(request, collaborative, pk):
    row = next((r for r in _result_rows(request, collaborative) if r["id"] == pk), None)
    if row is None:
        raise Refused(_("We could not find that result."), status=404)
    return row


def _actual(actual):
    return {"on": actual.on, "value": float(actual.value), "note": actual.note}


def _indicator_out(request, collaborative, indicator):
    return {"id": indicator.pk, "title": indicator.title, "unit": indicator.unit,
            "baseline": float(indicator.baseline), "target": float(indicator.target),
            "baseline_on": indicator.baseline_on, "target_on": indicator.target_on,
            "actuals": [_actual(a) for a in indicator.figures],
            "latest": _actual(indicator.latest) if indicator.latest else None,
            "towards_target": indicator.share, "visibility": indicator.visibility,
            "url": _page(request, collaborative, "results", f"#i{indicator.pk}")}


def _indicator_of(request, collaborative, pk):
    indicator = next((i for i in results.indicator_rows(collaborative) if i.pk == pk), None)
    if indicator is None:
        raise Refused(_("We could not find that indicator."), status=404)
    return _indicator_out(request, collaborative, indicator)


def _figure(value):
    """A JSON number as the pages' figure parser reads it (12.5, never 1.25e+1)."""
    return None if value is None else format(value, "f")


def _marked(request, slug, data, found, missing):
    collaborative, member = seen(request, slug, "manage")
    item = found(collaborative)
    if item is None:
        raise Refused(missing, status=404)
    reports.set_visibility(item, data.visibility)
    return collaborative, member, item


# --- Commitments -----------------------------------------------------------------------------


@router.get("/collaboratives/{slug}/commitments", response=read(CommitmentPage), summary="Commitments",
            description="Who does what by when, by date due, paged; `overdue` flags those past their date.")
def commitment_list(request, slug: Text, paging: Query[Paging]):
    collaborative, member = seen(request, slug)
    today = timezone.localdate()
    rows = collaborative.commitments.select_related("partner__organisation", "owner").order_by("due", "pk")
    return paged(request, rows, paging, lambda c: _commitment_out(request, collaborative, member, c, today))


@router.post("/collaboratives/{slug}/commitments", response=answers(201, CommitmentDetailOut),
             summary="Make a commitment",
             description="Convenors only. Rules the schema cannot say (each a 400 saying which): the date "
                         "must not have passed; a partner, a person, or both must hold it; the person must "
                         "take part for that partner; partner, person and decision must be this "
                         "collaborative's. A decision still open is a 409.")
def commitment_create(request, slug: Text, data: CommitmentIn):
    collaborative, member = seen(request, slug, "manage")
    partner = _one_of(collaborative.partners.select_related("organisation"), data.partner,
                      _("Choose a partner and a person of this collaborative."))
    owner = _one_of(collaborative.members, data.owner, _("Choose a partner and a person of this collaborative."))
    decision = None
    if data.decision is not None:  # as the page: a decision that is not there is not found (404)
        decision = collaborative.decisions.filter(pk=data.decision).first()
        if decision is None:
            raise Refused(_("We could not find that decision."), status=404)
    commitment = commitments.make_commitment(collaborative, member, what=data.what, due=data.due, partner=partner,
                                             owner=owner, decision=decision)
    if data.visibility == Visibility.PUBLIC:
        reports.set_visibility(commitment, data.visibility)
    return Status(201, _commitment_detail(request, collaborative, member, _commitment(collaborative, commitment.pk)))


@router.get("/collaboratives/{slug}/commitments/{commitment_id}", response=read(CommitmentDetailOut),
            summary="A commitment", description="With its history: each change of status, progress or date.")
def commitment_detail(request, slug: Text, commitment_id: int):
    collaborative, member = seen(request, slug)
    return _commitment_detail(request, collaborative, member, _commitment(collaborative, commitment_id))


@router.post("/collaboratives/{slug}/commitments/{commitment_id}/progress", response=answers(200, CommitmentDetailOut),
             summary="Record progress",
             description="The person named on it, its partner's representative and alternates, and convenors "
                         "(others, and observers: 403). Done means 100%; some progress on one not started "
                         "marks it under way.")
def commitment_progress(request, slug: Text, commitment_id: int, data: ProgressIn):
    collaborative, member = seen(request, slug, "update")
    commitment = _commitment(collaborative, commitment_id)
    commitments.record_progress(commitment, member, status=data.status, progress=data.progress, note=data.note)
    return _commitment_detail(request, collaborative, member, _commitment(collaborative, commitment_id))


@router.post("/collaboratives/{slug}/commitments/{commitment_id}/due", response=answers(200, CommitmentDetailOut),
             summary="Move a commitment's date",
             description="Convenors only. The new date must not have passed (a 400 says so); its overdue "
                         "e-mail may go out again if this date passes too.")
def commitment_due(request, slug: Text, commitment_id: int, data: DueIn):
    collaborative, member = seen(request, slug, "manage")
    commitments.change_due(_commitment(collaborative, commitment_id), member, data.due)
    return _commitment_detail(request, collaborative, member, _commitment(collaborative, commitment_id))


@router.post("/collaboratives/{slug}/commitments/{commitment_id}/visibility",
             response=answers(200, CommitmentDetailOut), summary="Mark who may read a commitment in reports",
             description="Convenors only.")
def commitment_visibility(request, slug: Text, commitment_id: int, data: VisibilityIn):
    collaborative, member, item = _marked(request, slug, data,
                                          lambda c: c.commitments.filter(pk=commitment_id).first(),
                                          _("We could not find that commitment."))
    return _commitment_detail(request, collaborative, member, _commitment(collaborative, item.pk))


# --- Results ---------------------------------------------------------------------------------


@router.get("/collaboratives/{slug}/results", response=read(List[ResultOut]), summary="Results",
            description="Every result in tree order (a result, then its sub-results), each with its own "
                        "figure and its rolled-up progress.")
def result_list(request, slug: Text):
    collaborative, _member = seen(request, slug)
    return _result_rows(request, collaborative)


@router.post("/collaboratives/{slug}/results", response=answers(201, ResultOut), summary="Add a result",
             description="Convenors only. Rules the schema cannot say (each a 400 saying which): the "
                         "parent and the decision must be this collaborative's, results nest at most "
                         f"{results.MAX_DEPTH} levels deep, and a result with progress is not 'not-started'. "
                         "A collaborative holds at most {results.MAX_RESULTS} "
                         "results (then 409).")
def result_create(request, slug: Text, data: ResultIn):
    collaborative, _member = seen(request, slug, "manage")
    parent = _one_of(collaborative.results, data.parent, _("Choose one of this collaborative's results."))
    decision = _one_of(collaborative.decisions, data.decision, _("Choose one of this collaborative's decisions."))
    result = results.add_result(collaborative, title=data.title, parent=parent, weight=_figure(data.weight),
                                status=data.status, progress=data.progress, decision=decision)
    if data.visibility == Visibility.PUBLIC:
        reports.set_visibility(result, data.visibility)
    return Status(201, _result_of(request, collaborative, result.pk))


@router.get("/collaboratives/{slug}/results/{result_id}", response=read(ResultOut), summary="A result")
def result_detail(request, slug: Text, result_id: int):
    collaborative, _member = seen(request, slug)
    return _result_of(request, collaborative, result_id)


@router.post("/collaboratives/{slug}/results/{result_id}", response=answers(200, ResultOut),
             summary="Update a result",
             description="Convenors only: its status, its own figure and its weight. The answer has the "
                         "rolled-up progress; its parents' progress changes with it (read the list). A rule the "
                         "schema cannot say (a 400 says so): a result with progress is not 'not-started'.")
def result_update(request, slug: Text, result_id: int, data: ResultUpdateIn):
    collaborative, _member = seen(request, slug, "manage")
    result = collaborative.results.filter(pk=result_id).first()
    if result is None:
        raise Refused(_("We could not find that result."), status=404)
    weight = _figure(data.weight) if "weight" in data.model_fields_set else result.weight
    results.update_result(result, status=data.status, progress=data.progress, weight=weight)
    return _result_of(request, collaborative, result.pk)


@router.post("/collaboratives/{slug}/results/{result_id}/visibility", response=answers(200, ResultOut),
             summary="Mark who may read a result in reports", description="Convenors only.")
def result_visibility(request, slug: Text, result_id: int, data: VisibilityIn):
    collaborative, _member, item = _marked(request, slug, data, lambda c: c.results.filter(pk=result_id).first(),
                                  _("We could not find that result."))
    return _result_of(request, collaborative, item.pk)


# --- Shared indicators -----------------------------------------------------------------------


@router.get("/collaboratives/{slug}/indicators", response=read(List[IndicatorOut]), summary="Shared indicators",
            description="Each with its baseline, target, measured figures and how far the latest has come.")
def indicator_list(request, slug: Text):
    collaborative, _member = seen(request, slug)
    return [_indicator_out(request, collaborative, i) for i in results.indicator_rows(collaborative)]


@router.post("/collaboratives/{slug}/indicators", response=answers(201, IndicatorOut),
             summary="Add a shared indicator",
             description="Convenors only. Rules the schema cannot say (each a 400 saying which): the target "
                         "differs from the baseline, and the target date comes after the baseline date.")
def indicator_create(request, slug: Text, data: IndicatorIn):
    collaborative, _member = seen(request, slug, "manage")
    indicator = results.add_indicator(collaborative, title=data.title, unit=data.unit,
                                      baseline=_figure(data.baseline), target=_figure(data.target),
                                      baseline_on=data.baseline_on, target_on=data.target_on)
    if data.visibility == Visibility.PUBLIC:
        reports.set_visibility(indicator, data.visibility)
    return Status(201, _indicator_of(request, collaborative, indicator.pk))


@router.get("/collaboratives/{slug}/indicators/{indicator_id}", response=read(IndicatorOut),
            summary="A shared indicator")
def indicator_detail(request, slug: Text, indicator_id: int):
    collaborative, _member = seen(request, slug)
    return _indicator_of(request, collaborative, indicator_id)


@router.post("/collaboratives/{slug}/indicators/{indicator_id}/actuals", response=answers(201, IndicatorOut),
             summary="Record a measured figure",
             description="Convenors only. The date must not be in the future (a 400 says so); a second "
                         "figure for the same date is a 409.")
def actual_create(request, slug: Text, indicator_id: int, data: ActualIn):
    collaborative, member = seen(request, slug, "manage")
    indicator = collaborative.indicators.filter(pk=indicator_id).first()
    if indicator is None:
        raise Refused(_("We could not find that indicator."), status=404)
    results.add_actual(indicator, member, on=data.on, value=_figure(data.value), note=data.note)
    return Status(201, _indicator_of(request, collaborative, indicator.pk))


@router.post("/collaboratives/{slug}/indicators/{indicator_id}/visibility", response=answers(200, IndicatorOut),
             summary="Mark who may read an indicator in reports", description="Convenors only.")
def indicator_visibility(request, slug: Text, indicator_id: int, data: VisibilityIn):
    collaborative, _member, item = _marked(request, slug, data, lambda c: c.indicators.filter(pk=indicator_id).first(),
                                  _("We could not find that indicator."))
    return _indicator_of(request, collaborative, item.pk)
