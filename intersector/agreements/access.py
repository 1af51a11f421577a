"""Who may see an agreement: its partners' people only.

A person acts for a partner when they opened that partner's invite link (kept in their session),
when they are the partner's claimed user, or when they are a member of the partner's organisation
on the site. Everyone else gets a 404, so they cannot tell the agreement exists.
"""

from django.http import Http404

from intersector.agreements.models import Agreement, Guest, Partner

SESSION_KEY = "agree_partners"
GUEST_KEY = "agree_guests"


def remember_partner(request, partner):
    held = dict(request.session.get(SESSION_KEY, {}))
    held[str(partner.agreement_id)] = partner.pk
    request.session[SESSION_KEY] = held


def acting_partner(request, agreement):
    held = request.session.get(SESSION_KEY, {}).get(str(agreement.pk))
    partners = list(agreement.partners.all())
    for partner in partners:
        if partner.pk == held:
            return partner
    user = request.user
    if user.is_authenticated:
        org_ids = set(user.memberships.values_list("organisation_id", flat=True))
        for partner in partners:
            if partner.user_id == user.pk or (partner.organisation_id in org_ids):
                return partner
    return None


def agreement_for(request, pk):
    """(agreement, acting partner) or 404."""
    agreement = Agreement.objects.select_related("scorecard").filter(pk=pk).first()
    if agreement is None:
        raise Http404
    partner = acting_partner(request, agreement)
    if partner is None:
        raise Http404
    partner.agreement = agreement
    return agreement, partner


def agreements_of(request):
    """Agreements this person may open (for the landing page)."""
    ids = set(request.session.get(SESSION_KEY, {}).keys())
    guest_ids = set(request.session.get(GUEST_KEY, {}).values())
    invited = Guest.objects.filter(pk__in=guest_ids, revoked__isnull=True).values("agreement_id")
    if request.user.is_authenticated:
        invited = invited | Guest.objects.filter(user=request.user, revoked__isnull=True).values(
            "agreement_id")
    query = Agreement.objects.filter(pk__in=ids) | Agreement.objects.filter(pk__in=invited)
    user = request.user
    if user.is_authenticated:
        org_ids = list(user.memberships.values_list("organisation_id", flat=True))
        mine = Partner.objects.filter(user=user).values("agreement_id")
        theirs = Partner.objects.filter(organisation_id__in=org_ids).values("agreement_id")
        query = query | Agreement.objects.filter(pk__in=mine) | \
            Agreement.objects.filter(pk__in=theirs)
    return query.distinct().order_by("-updated")


# --- Guests: people a partner invited by e-mail; they read (and maybe comment), nothing more ---


def remember_guest(request, guest):
    held = dict(request.session.get(GUEST_KEY, {}))
    held[str(guest.agreement_id)] = guest.pk
    request.session[GUEST_KEY] = held


def acting_guest(request, agreement):
    """The live (not revoked) invitation this person holds for this agreement, or None."""
    live = Guest.objects.filter(agreement=agreement, revoked__isnull=True)
    held = request.session.get(GUEST_KEY, {}).get(str(agreement.pk))
    guest = live.filter(pk=held).first() if held else None
    if guest is None and request.user.is_authenticated:
        guest = live.filter(user=request.user).first()
    return guest


def reader_for(request, pk):
    """(agreement, partner, guest) for anyone who may read it -- a partner's person or an
    invited guest (partner is None then) -- or 404."""
    agreement = Agreement.objects.select_related("scorecard").filter(pk=pk).first()
    if agreement is None:
        raise Http404
    partner = acting_partner(request, agreement)
    if partner is not None:
        partner.agreement = agreement
        return agreement, partner, None
    guest = acting_guest(request, agreement)
    if guest is None:
        raise Http404
    return agreement, None, guest
