"""Who may see an agreement: its partners' people and its invited guests, nobody else.

A person acts for a partner when they are the partner's account (`Partner.user`), a member of
the partner's organisation on the site, or in the browser that claimed the partner's invitation:
the session then holds the partner and a random browser key equal to `Partner.claimed_browser`.
Everyone else gets a 404, so they cannot tell the agreement exists.

`acting_partner` marks how the person was known (`partner.identified_by`: account,
organisation or link); a sign-off records it.
"""

from django.http import Http404
from django.utils import timezone

from intersector import tokens
from intersector.agreements.models import Agreement, Guest, Partner, SignOff

SESSION_KEY = "agree_partners"
GUEST_KEY = "agree_guests"
BROWSER_KEY = "agree_browser"
SEEN_KEY = "agree_seen"


def browser_key(request, create=True):
    """This browser's random key (in its session): an invitation opened without an account is
    bound to it."""
    key = request.session.get(BROWSER_KEY, "")
    if not key and create:
        key = request.session[BROWSER_KEY] = tokens.new_secret(24)
    return key


def holds(request, invitation):
    """True when this browser or account is the one that claimed the invitation."""
    user = request.user
    if invitation.user_id is not None and user.is_authenticated and invitation.user_id == user.pk:
        return True
    return tokens.same_secret(invitation.claimed_browser, browser_key(request, create=False))


def _held_in_session(request, key, agreement):
    return request.session.get(key, {}).get(str(agreement.pk))


def _kept_from_before(invitation):
    """Held in a session from before claim-once invitations (migration 0004): nobody has
    claimed it since, so the browser that holds it claims it now."""
    return invitation.claimed_at is None and invitation.user_id is None and not invitation.claimed_browser


def _keep_browser(request, model, invitation):
    """Bind a held-from-before invitation to this browser; keep the session alive (a day's
    writes at most) so a partner without an account does not lose the agreement."""
    if _kept_from_before(invitation):
        key = browser_key(request)
        if model.objects.filter(pk=invitation.pk, claimed_at__isnull=True, user__isnull=True,
                                claimed_browser="").update(claimed_browser=key,
                                                           claimed_at=timezone.now()):
            invitation.claimed_browser, invitation.claimed_at = key, timezone.now()
    today = timezone.localdate().isoformat()
    if request.session.get(SEEN_KEY) != today:
        request.session[SEEN_KEY] = today


def keep_on_account(request, user):
    """On sign-in, invitations this browser opened without an account move to the account too, so
    signing out (which empties the browser's session) does not lose the agreement. A place is not
    added to an account that already acts for another partner of the same agreement."""
    ours = browser_key(request, create=False)
    if not ours:
        return
    for model, key in ((Partner, SESSION_KEY), (Guest, GUEST_KEY)):
        held = list(request.session.get(key, {}).values())
        for invitation in model.objects.filter(pk__in=held, user__isnull=True).exclude(claimed_browser=""):
            if not tokens.same_secret(invitation.claimed_browser, ours):
                continue
            if model.objects.filter(agreement_id=invitation.agreement_id, user=user).exists():
                continue
            model.objects.filter(pk=invitation.pk, user__isnull=True).update(user=user)


def remember_partner(request, partner):
    held = dict(request.session.get(SESSION_KEY, {}))
    held[str(partner.agreement_id)] = partner.pk
    request.session[SESSION_KEY] = held


def acting_partner(request, agreement):
    held = _held_in_session(request, SESSION_KEY, agreement)
    partners = list(agreement.partners.all())
    for partner in partners:
        if partner.pk == held:
            _keep_browser(request, Partner, partner)
            if tokens.same_secret(partner.claimed_browser, browser_key(request, create=False)):
                partner.identified_by = SignOff.How.LINK
                return partner
    user = request.user
    if user.is_authenticated:
        for partner in partners:
            if partner.user_id == user.pk:
                partner.identified_by = SignOff.How.ACCOUNT
                return partner
        org_ids = set(user.memberships.values_list("organisation_id", flat=True))
        for partner in partners:
            if partner.organisation_id in org_ids:
                partner.identified_by = SignOff.How.ORGANISATION
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


def _held_here(request, model, key, **live):
    """Agreement ids of the invitations this browser holds and still may use."""
    held = request.session.get(key, {})
    if not held:
        return set()
    ours = browser_key(request, create=False)
    rows = model.objects.filter(pk__in=list(held.values()), **live).only(
        "pk", "agreement_id", "claimed_browser", "claimed_at", "user_id")
    return {row.agreement_id for row in rows
            if tokens.same_secret(row.claimed_browser, ours) or _kept_from_before(row)}


def agreements_of(request):
    """Agreements this person may open (for the landing page)."""
    ids = _held_here(request, Partner, SESSION_KEY) | _held_here(
        request, Guest, GUEST_KEY, revoked__isnull=True)
    query = Agreement.objects.filter(pk__in=ids)
    user = request.user
    if user.is_authenticated:
        org_ids = list(user.memberships.values_list("organisation_id", flat=True))
        mine = Partner.objects.filter(user=user).values("agreement_id")
        theirs = Partner.objects.filter(organisation_id__in=org_ids).values("agreement_id")
        invited = Guest.objects.filter(user=user, revoked__isnull=True).values("agreement_id")
        query = query | Agreement.objects.filter(pk__in=mine) | \
            Agreement.objects.filter(pk__in=theirs) | Agreement.objects.filter(pk__in=invited)
    return query.distinct().order_by("-updated")


# --- Guests: people a partner invited by e-mail; they read (and maybe comment), nothing more ---


def remember_guest(request, guest):
    held = dict(request.session.get(GUEST_KEY, {}))
    held[str(guest.agreement_id)] = guest.pk
    request.session[GUEST_KEY] = held


def acting_guest(request, agreement):
    """The live (not revoked) invitation this person holds for this agreement, or None."""
    live = Guest.objects.filter(agreement=agreement, revoked__isnull=True)
    held = _held_in_session(request, GUEST_KEY, agreement)
    guest = live.filter(pk=held).first() if held else None
    if guest is not None:
        _keep_browser(request, Guest, guest)
        if tokens.same_secret(guest.claimed_browser, browser_key(request, create=False)):
            return guest
    if request.user.is_authenticated:
        return live.filter(user=request.user).first()
    return None


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
