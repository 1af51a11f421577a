"""Collaborate's API: collaboratives, their interest groups, partners and people, and the decision
log (open, vote, close, outcome), under /api/collaboratives/.

Every route asks the same `access.check` as the pages (convenor, representative, alternate,
observer; anyone else gets 404 for a collaborative that is not published, 403 for one that is)
and writes through the same services the pages call (services.*, decisions.*), so a script can do
exactly what its person can do on the site, and nothing more.
"""

from datetime import date, datetime
from typing import List, Literal, Optional

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from intersector.accounts.models import Sector
from intersector.api.routers.collaborate_common import Body, Paging, answers, page_schema, paged, read, seen
from intersector.api.routers.me import ErrorOut
from intersector.api.routers.params import RequiredText as Required
from intersector.api.routers.params import Email, Text
from intersector.collaboratives import access, decisions, services
from intersector.collaboratives.models import Collaborative, Decision, Member, Vote
from intersector.collaboratives.views import _collaborative
from intersector.refusals import Refused

router = Router(tags=["collaborate"])


# --- What comes back -------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    name: str


class CollaborativeOut(Schema):
    slug: str
    name: str
    purpose: str
    place: str
    issue: str
    demonstration: bool
    published: bool
    url: str
    your_role: Optional[str] = Field(None, description="convenor, representative, alternate or observer; "
                                                       "null when you take no part (a published or "
                                                       "demonstration collaborative)")
    partners_only: bool = Field(description="true when you see the partners' workspace; false when "
                                            "you see only what the public sees (the other figures are then null)")
    partner_count: Optional[int] = None
    people_count: Optional[int] = None
    groups: Optional[List[GroupOut]] = None


class PartnerOut(Schema):
    id: int
    name: str
    sector: str
    sector_label: str
    group: Optional[int]
    group_name: Optional[str]
    joined: date
    left: Optional[date]


class MemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    partner: Optional[int] = Field(description="the partner this person takes part for (null for a convenor)")
    starts: date
    ends: Optional[date]
    joined: bool = Field(description="has opened their invitation and takes part with an account")
    email: Optional[str] = Field(None, description="shown to convenors only")


class NewMemberOut(MemberOut):
    invitation_sent: Optional[bool] = Field(None, description="null when no e-mail address was given")


class OptionOut(Schema):
    id: int
    label: str


class TallyOut(Schema):
    seats: Optional[int] = Field(None, description="partners (or people) who could take part")
    took_part: Optional[int] = None
    quorum_met: Optional[bool] = None
    counts: dict = Field(default_factory=dict, description="agree / abstain / object, or option id -> votes")


class DecisionOut(Schema):
    id: int
    title: str
    text: str
    kind: str
    per_organisation: bool
    dots: int
    quorum: int
    threshold: int = Field(description="The share of the counted votes an option needs: `threshold` out of "
                                       "`threshold_of`.")
    threshold_of: Literal[100, 3] = Field(description="100: the threshold is a percentage; 3: it is in thirds "
                                                      "(2 is exactly two-thirds).")
    threshold_rule: Literal["at-least", "more-than"] = Field(description="Whether an option needs at least the "
                                                                         "threshold's share, or more than it.")
    threshold_label: str = Field(description="The threshold in words, e.g. 'more than half'.")
    closes_at: datetime
    status: str
    opened_at: datetime
    closed_at: Optional[datetime]
    result: str = Field(description="empty while open; agreed, blocked, carried, not-carried, tie or no-quorum")
    result_label: str
    chosen: Optional[int] = Field(description="the option that carried, if any")
    options: List[OptionOut]
    tally: Optional[TallyOut] = Field(description="the standing count while open (in the list: null), "
                                                  "the count it closed with once closed")
    statement: str
    review_on: Optional[date]
    url: str


class VoteOut(Schema):
    id: int
    person: str
    partner: Optional[str]
    role: str
    choice: str
    option: Optional[int]
    allocation: dict = Field(description="A dot vote's dots or a score's scores: {option id: n}")
    reason: str
    cast_at: datetime
    state: str = Field(description="counted, changed (the same person voted again), replaced (a later "
                                   "vote for the same partner) or not-counted (the representative had voted)")
    state_label: str


PartnerPage = page_schema("PartnerPage", PartnerOut)
MemberPage = page_schema("MemberPage", MemberOut)
DecisionPage = page_schema("DecisionPage", DecisionOut)
VotePage = page_schema("VotePage", VoteOut)


# --- What goes in ----------------------------------------------------------------------------


class CollaborativeIn(Body):
    name: Required = Field(max_length=200)
    purpose: Text = Field("", max_length=4000)
    place: Text = Field("", max_length=200)
    issue: Text = Field("", max_length=200)


class GroupIn(Body):
    name: Required = Field(max_length=120)


class PartnerIn(Body):
    name: Required = Field(max_length=200, description="The organisation's name (an organisation of the "
                                                       "same name and sector on the site is reused).")
    sector: Literal[tuple(Sector.values)]
    group: Optional[int] = Field(None, description="One of this collaborative's interest groups (its id).")


class MemberIn(Body):
    name: Required = Field(max_length=150)
    email: Email = Field("", description="With an address, the person is e-mailed an invitation "
                                         "link at once, as on the partners page.")
    role: Literal[tuple(Member.Role.values)]
    partner: Optional[int] = Field(None, description="The partner's id (required but for a convenor).")
    starts: Optional[date] = None
    ends: Optional[date] = None


class EndIn(Body):
    ends: Optional[date] = Field(None, description="The last day of the role (today when left out).")


class DecisionIn(Body):
    title: Required = Field(max_length=200)
    text: Required = Field(max_length=10000, description="The proposal.")
    kind: Literal[tuple(Decision.Kind.values)] = "consent"
    closes_at: datetime = Field(description="When voting closes; a time without a zone is the site's time.")
    options: List[Required] = Field([], max_length=decisions.MAX_OPTIONS,
                                    description="For a vote: two or more different options.")
    quorum: int = Field(50, ge=0, le=100, description="Share (%) of partners (or people) that must take part.")
    threshold: int = Field(50, ge=0, le=100, description="The share of the counted votes an option needs: "
                           "`threshold` out of `threshold_of` (a percentage, or thirds).")
    threshold_of: Literal[100, 3] = Field(100, description="100: the threshold is a percentage; 3: it is in "
                                                           "thirds (2 is exactly two-thirds: 2 of 3 votes carry, "
                                                           "66 of 100 do not).")
    threshold_rule: Literal["at-least", "more-than"] = Field(
        "at-least", description="Whether an option needs at least the threshold's share, or more than it "
                                "(a majority is more-than 50).")
    per_organisation: bool = Field(True, description="One vote per organisation (else one per person).")
    dots: Optional[int] = Field(None, ge=1, le=100, description="For a dot vote: the dots each voter spreads.")


class SpreadIn(Body):
    option: int = Field(description="The option's id.")
    n: int = Field(description="The dots placed on it, or its score from 1 to 5.")


class VoteIn(Body):
    choice: Optional[Literal["agree", "abstain", "object"]] = Field(None, description="For a consent proposal.")
    option: Optional[int] = Field(None, description="For a vote between options: the option's id.")
    allocation: Optional[List[SpreadIn]] = Field(None, max_length=50, description="For a dot vote or a score: "
                                                 "each option's dots, or its score from 1 to 5.")
    reason: Text = Field("", max_length=decisions.MAX_REASON, description="Required when you object.")


class OutcomeIn(Body):
    statement: Required = Field(max_length=10000)
    review_on: Optional[date] = None


# --- Helpers ---------------------------------------------------------------------------------


def _collaborative_out(request, collaborative, member, full=True):
    out = {"slug": collaborative.slug, "name": collaborative.name, "purpose": collaborative.purpose,
           "place": collaborative.place, "issue": collaborative.issue,
           "demonstration": collaborative.demonstration, "published": collaborative.published,
           "url": request.build_absolute_uri(collaborative.get_absolute_url()),
           "your_role": member.role if member else None, "partners_only": full}
    if full:
        out.update(partner_count=collaborative.partners.count(), people_count=collaborative.members.count(),
                   groups=[{"id": g.pk, "name": g.name} for g in collaborative.groups.all()])
    return out


def _partner_out(partner):
    return {"id": partner.pk, "name": partner.organisation.name, "sector": partner.organisation.sector,
            "sector_label": str(partner.organisation.get_sector_display()), "group": partner.group_id,
            "group_name": partner.group.name if partner.group else None, "joined": partner.joined,
            "left": partner.left}


def _member_out(person, manage):
    return {"id": person.pk, "name": person.name, "role": person.role, "role_label": str(person.get_role_display()),
            "partner": person.partner_id, "starts": person.starts, "ends": person.ends,
            "joined": person.user_id is not None, "email": person.email if manage else None}


def _decision_out(request, decision, tally=None):
    if tally is None and decision.status == Decision.Status.CLOSED:
        tally = decision.tally or None
    return {"id": decision.pk, "title": decision.title, "text": decision.text, "kind": decision.kind,
            "per_organisation": decision.per_organisation, "dots": decision.dots, "quorum": decision.quorum,
            "threshold": decision.threshold, "threshold_of": decision.threshold_of,
            "threshold_rule": decision.threshold_rule, "threshold_label": str(decision.threshold_words),
            "closes_at": decision.closes_at, "status": decision.status,
            "opened_at": decision.opened_at, "closed_at": decision.closed_at, "result": decision.result,
            "result_label": str(decision.get_result_display()) if decision.result else "",
            "chosen": decision.chosen_id, "options": [{"id": o.pk, "label": o.label} for o in decision.options.all()],
            "tally": tally, "statement": decision.statement, "review_on": decision.review_on,
            "url": request.build_absolute_uri(reverse("collaboratives:decision",
                                                      args=[decision.collaborative.slug, decision.pk]))}


def _vote_out(vote):
    return {"id": vote.pk, "person": vote.member.name,
            "partner": vote.partner.organisation.name if vote.partner else None, "role": vote.role,
            "choice": vote.choice, "option": vote.option_id, "allocation": vote.allocation or {},
            "reason": vote.reason, "cast_at": vote.cast_at,
            "state": vote.state, "state_label": str(vote.get_state_display())}


def _decision(collaborative, pk):
    decision = collaborative.decisions.filter(pk=pk).first()
    if decision is None:
        raise Refused(_("We could not find that decision."), status=404)
    decision.collaborative = collaborative
    return decisions.close_if_due(decision)


def _aware(when):
    return timezone.make_aware(when) if timezone.is_naive(when) else when


# --- Collaboratives --------------------------------------------------------------------------


@router.get("/collaboratives", response={200: List[CollaborativeOut], 401: ErrorOut},
            summary="Collaboratives",
            description="The collaboratives you take part in, then the published ones (the public's view "
                        "of those: name, purpose, place and issue).")
def collaborative_list(request):
    mine = {m.collaborative_id: m for m in Member.objects.filter(user=request.auth).select_related("collaborative")
            if m.active_on(timezone.localdate())}
    out = [_collaborative_out(request, m.collaborative, m, full=False) for m in mine.values()]
    for collaborative in Collaborative.objects.filter(published=True).exclude(pk__in=list(mine)):
        out.append(_collaborative_out(request, collaborative, None, full=False))
    return out


@router.post("/collaboratives", response=answers(201, CollaborativeOut), summary="Start a collaborative",
             description="A new collaborative with its five steps; you are its convenor.")
def collaborative_create(request, data: CollaborativeIn):
    collaborative = services.create_collaborative(request.auth, name=data.name, purpose=data.purpose,
                                                  place=data.place, issue=data.issue)
    member = access.member_of(request.auth, collaborative)
    return Status(201, _collaborative_out(request, collaborative, member))


@router.get("/collaboratives/{slug}", response=read(CollaborativeOut), summary="A collaborative",
            description="Its partners and people see its workspace figures; anyone signed in sees a "
                        "published collaborative as the public does.")
def collaborative_detail(request, slug: Text):
    collaborative = _collaborative(slug)
    member = access.member_of(request.auth, collaborative)
    if not access.can(member, "see") and not collaborative.demonstration:
        if not collaborative.published:
            raise Refused(_("We could not find that collaborative."), status=404)
        return _collaborative_out(request, collaborative, None, full=False)
    return _collaborative_out(request, collaborative, member)


# --- Interest groups, partners and people ----------------------------------------------------


@router.get("/collaboratives/{slug}/groups", response=read(List[GroupOut]), summary="Interest groups")
def group_list(request, slug: Text):
    collaborative, _member = seen(request, slug)
    return [{"id": g.pk, "name": g.name} for g in collaborative.groups.all()]


@router.post("/collaboratives/{slug}/groups", response=answers(201, GroupOut), summary="Add an interest group",
             description="Convenors only. A name already used (in any case) is a 409.")
def group_create(request, slug: Text, data: GroupIn):
    collaborative, _member = seen(request, slug, "manage")
    group = services.add_group(collaborative, data.name)
    return Status(201, {"id": group.pk, "name": group.name})


@router.get("/collaboratives/{slug}/partners", response=read(PartnerPage), summary="Partners",
            description="The partner organisations by name, with their sector and interest group, paged.")
def partner_list(request, slug: Text, paging: Query[Paging]):
    collaborative, _member = seen(request, slug)
    partners = collaborative.partners.select_related("organisation", "group").order_by("organisation__name", "pk")
    return paged(request, partners, paging, _partner_out)


@router.post("/collaboratives/{slug}/partners", response=answers(201, PartnerOut), summary="Add a partner",
             description="Convenors only. An organisation that is already a partner is a 409.")
def partner_create(request, slug: Text, data: PartnerIn):
    collaborative, _member = seen(request, slug, "manage")
    group = None
    if data.group is not None:
        group = collaborative.groups.filter(pk=data.group).first()
        if group is None:
            raise Refused(_("Choose one of this collaborative's interest groups."), status=404)
    partner = services.add_partner(collaborative, name=data.name, sector=data.sector, group=group)
    return Status(201, _partner_out(partner))


@router.get("/collaboratives/{slug}/members", response=read(MemberPage), summary="People",
            description="Convenors and the people of each partner (representatives, alternates, "
                        "observers) with their dates, paged. E-mail addresses are shown to convenors only.")
def member_list(request, slug: Text, paging: Query[Paging]):
    collaborative, member = seen(request, slug)
    manage = access.can(member, "manage")
    people = collaborative.members.order_by("partner_id", "role", "name", "pk")
    return paged(request, people, paging, lambda person: _member_out(person, manage))


@router.post("/collaboratives/{slug}/members", response=answers(201, NewMemberOut), summary="Add a person",
             description="Convenors only. A partner has one representative at a time (a second is a 409: "
                         "give the current one an end date first). With an e-mail address the person is "
                         "sent an invitation link at once. Two rules join fields, so the schema cannot "
                         "say them: everyone but a convenor needs a partner, and an end date may not "
                         "come before the start date (each a 400 saying which).")
def member_create(request, slug: Text, data: MemberIn):
    collaborative, _member = seen(request, slug, "manage")
    partner = None
    if data.partner is not None:
        partner = collaborative.partners.filter(pk=data.partner).first()
        if partner is None:
            raise Refused(_("Choose one of this collaborative's partners."), status=404)
    person = services.add_person(collaborative, name=data.name, email=data.email, role=data.role,
                                 partner=partner, starts=data.starts, ends=data.ends)
    sent = None
    if person.email:
        def link_for(token):
            return request.build_absolute_uri(reverse("collaboratives:join", args=[token]))

        _link, sent = services.send_invitation(person, link_for=link_for, inviter=request.auth)
    return Status(201, {**_member_out(person, True), "invitation_sent": sent})


@router.post("/collaboratives/{slug}/members/{member_id}/end", response=answers(200, MemberOut),
             summary="End a person's role",
             description="Convenors only. The role ends on the day given (today when left out); the "
                         "last convenor cannot leave (409).")
def member_end(request, slug: Text, member_id: int, data: EndIn):
    collaborative, _member = seen(request, slug, "manage")
    person = collaborative.members.filter(pk=member_id).first()
    if person is None:
        raise Refused(_("We could not find that person in this collaborative."), status=404)
    return _member_out(services.end_membership(person, data.ends), True)


# --- Decisions -------------------------------------------------------------------------------


@router.get("/collaboratives/{slug}/decisions", response=read(DecisionPage), summary="Decision log",
            description="Newest first, paged. A decision past its closing time is closed when looked at.")
def decision_list(request, slug: Text, paging: Query[Paging]):
    collaborative, _member = seen(request, slug)
    log = collaborative.decisions.prefetch_related("options").order_by("-opened_at", "-pk")

    def serialise(decision):
        decision.collaborative = collaborative
        return _decision_out(request, decisions.close_if_due(decision))

    return paged(request, log, paging, serialise)


@router.post("/collaboratives/{slug}/decisions", response=answers(201, DecisionOut), summary="Open a proposal",
             description="Convenors only. A consent proposal (agree / abstain / object with a reason; any "
                         "objection blocks) or a vote between two or more options, open until `closes_at`. "
                         "Rules the schema cannot say (each a 400 saying which): `closes_at` in the "
                         "future, a vote, dot vote or score with two or more different options, a threshold "
                         "in thirds of 0 to 3, and no threshold of more than all the votes (more-than with "
                         "the threshold equal to `threshold_of`).")
def decision_create(request, slug: Text, data: DecisionIn):
    collaborative, member = seen(request, slug, "manage")
    decision = decisions.open_decision(
        collaborative, member, title=data.title, text=data.text, kind=data.kind, closes_at=_aware(data.closes_at),
        options=data.options, quorum=data.quorum, threshold=data.threshold, threshold_of=data.threshold_of,
        threshold_rule=data.threshold_rule, per_organisation=data.per_organisation,
        dots=data.dots)
    decision.collaborative = collaborative
    return Status(201, _decision_out(request, decision, decisions.current_outcome(decision).as_dict()))


@router.get("/collaboratives/{slug}/decisions/{decision_id}", response=read(DecisionOut),
            summary="A decision", description="With the standing count while it is open.")
def decision_detail(request, slug: Text, decision_id: int):
    collaborative, _member = seen(request, slug)
    decision = _decision(collaborative, decision_id)
    tally = decisions.current_outcome(decision).as_dict() if decision.status == Decision.Status.OPEN else None
    return _decision_out(request, decision, tally)


@router.get("/collaboratives/{slug}/decisions/{decision_id}/votes", response=read(VotePage),
            summary="Votes on a decision",
            description="Every vote ever cast, oldest first, with whether it counts and why not.")
def vote_list(request, slug: Text, decision_id: int, paging: Query[Paging]):
    collaborative, _member = seen(request, slug)
    decision = _decision(collaborative, decision_id)
    votes = decision.votes.select_related("member", "partner__organisation").order_by("cast_at", "pk")
    return paged(request, votes, paging, _vote_out)


@router.post("/collaboratives/{slug}/decisions/{decision_id}/votes", response=answers(201, VoteOut),
             summary="Vote",
             description="Representatives and alternates only (observers and convenors: 403). A second "
                         "vote changes your first. In one vote per organisation an alternate's vote "
                         "counts only while the representative has not voted (`state` says). A vote "
                         "after closing is a 409. What to send depends on the decision's kind, so the "
                         "schema cannot check it (a 400 says what to put right): `choice` for consent "
                         "(with a `reason` to object), `option` for a vote, `allocation` for a dot vote "
                         "(at least one dot, no more than the decision's dots) or a score (every option "
                         "from 1 to 5).")
def vote_create(request, slug: Text, decision_id: int, data: VoteIn):
    collaborative, member = seen(request, slug, "decide")
    decision = _decision(collaborative, decision_id)
    option = decision.options.filter(pk=data.option).first() if data.option is not None else None
    vote = decisions.cast_vote(decision, member, choice=data.choice, option=option, reason=data.reason,
                               allocation={str(s.option): s.n for s in data.allocation or []})
    vote.member = member
    return Status(201, _vote_out(vote))


@router.post("/collaboratives/{slug}/decisions/{decision_id}/close", response=answers(200, DecisionOut),
             summary="Close a decision now",
             description="Convenors only. The outcome is fixed from the counted votes; closing a closed "
                         "decision is a 409.")
def decision_close(request, slug: Text, decision_id: int):
    collaborative, member = seen(request, slug, "manage")
    decision = decisions.close_decision(_decision(collaborative, decision_id), member)
    decision.collaborative = collaborative
    return _decision_out(request, decision)


@router.post("/collaboratives/{slug}/decisions/{decision_id}/outcome", response=answers(200, DecisionOut),
             summary="Write the outcome",
             description="Convenors only, once the decision is closed (else 409): the outcome statement "
                         "and a review date from today on. Each edit is kept in the decision's history.")
def decision_outcome(request, slug: Text, decision_id: int, data: OutcomeIn):
    collaborative, member = seen(request, slug, "manage")
    decision = decisions.write_outcome(_decision(collaborative, decision_id), member, statement=data.statement,
                                       review_on=data.review_on)
    decision.collaborative = collaborative
    return _decision_out(request, decision)
