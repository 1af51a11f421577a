"""Who may do what in a collaborative: one table, read by every view, API call and export.

Roles come from the person's Member row (bound to their account when they opened their
invitation) and count only between its start and end dates. Everyone else is the public, who
sees a published collaborative's public page and nothing of its partners' material.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaboratives.models import Member
from intersector.refusals import Refused

CONVENOR, REPRESENTATIVE, ALTERNATE, OBSERVER = (
    Member.Role.CONVENOR, Member.Role.REPRESENTATIVE, Member.Role.ALTERNATE, Member.Role.OBSERVER)
PARTNERS = {CONVENOR, REPRESENTATIVE, ALTERNATE, OBSERVER}

# What each action needs. "see" = the partner-only workspace; "write" = worksheets and the like;
# "decide" = vote for an organisation; "manage" = partners, people, steps, charter, commitments,
# results and indicators; "update" = record progress on a commitment, and only on one the person
# holds (commitments.may_update: named on it, or for its partner; convenors on any).
NEEDS = {
    "see": PARTNERS,
    "write": {CONVENOR, REPRESENTATIVE, ALTERNATE},
    "decide": {REPRESENTATIVE, ALTERNATE},
    # The network survey is answered by whoever speaks for a partner (its representative or an alternate).
    "answer_for_partner": {REPRESENTATIVE, ALTERNATE},
    "manage": {CONVENOR},
    "update": {CONVENOR, REPRESENTATIVE, ALTERNATE},
}


def member_of(user, collaborative, day=None):
    """The person's active Member row in this collaborative, or None."""
    if user is None or not user.is_authenticated:
        return None
    day = day or timezone.localdate()
    member = (Member.objects.select_related("partner__organisation")
              .filter(collaborative=collaborative, user=user).first())
    if member is None or not member.active_on(day):
        return None
    return member


def can(member, action):
    return member is not None and member.role in NEEDS[action]


def check(user, collaborative, action):
    """The person's Member row if they may do `action` here; Refused otherwise (404 for people
    outside a collaborative that is not published, so its existence is not given away)."""
    member = member_of(user, collaborative)
    if can(member, action):
        return member
    if member is None and action == "see" and collaborative.demonstration:
        return None  # a demonstration is there to be looked at, by anyone, read-only
    if member is None and not collaborative.published:
        raise Refused(_("We could not find that collaborative."), status=404)
    if member is None:
        raise Refused(_("This part of the collaborative is for its partners. Ask its convenor for an "
                        "invitation."), status=403)
    raise Refused(_("Your role in this collaborative does not allow that. Ask its convenor."), status=403)
