"""The actions of Collaborate: each checks, saves in one transaction and returns what it made.
Views, the API, commands and the starter loader all call these (never the models directly)."""

import smtplib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intersector import tokens
from intersector.accounts import services as accounts
from intersector.accounts.models import Organisation, Sector
from intersector.collaboratives import access
from intersector.collaboratives.models import (
    Collaborative, InterestGroup, Member, Partner, Step, Worksheet, WorksheetVersion, new_secret)
from intersector.refusals import Refused

INVITE_DAYS = 14
INVITE = tokens.Kind("collaboratives.invite", max_age=timedelta(days=INVITE_DAYS))
MAX_ANSWER = 5000

# Where the toolkit's tools sit on the five steps when a collaborative starts (the convenor can
# move them). Slugs of content/library/toolkit.yaml; a tool a curator removed is skipped.
STARTER_TOOLS = {
    Step.Key.ASSESS: ["engage-potential-partners", "assess-the-history-of-addressing-the-issue",
                      "account-for-resources"],
    Step.Key.ORGANIZE: ["establish-a-governance-structure", "identify-a-manager", "share-a-vision-of-success"],
    Step.Key.EDUCATE: ["build-a-common-fact-base", "establish-transparency-of-viewpoints",
                       "communicate-the-interdependency-of-each-sector"],
    Step.Key.NEGOTIATE: ["agree-on-measures-of-success", "commit-to-information-sharing", "share-discretion"],
    Step.Key.IMPLEMENT: ["set-short-term-goals", "manage-expectations-of-process-and-results",
                         "define-the-intent-of-the-evaluation", "tell-the-story-of-the-collaboration"],
}


def _text(value, field, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Give the %(field)s.") % {"field": field}, status=400)
    if len(value) > max_length:
        raise Refused(_("The %(field)s is too long: at most %(n)s characters.") % {"field": field, "n": max_length},
                      status=400)
    return value


RESERVED_SLUGS = {"new", "join"}  # addresses of Collaborate's own pages


def _unique_slug(name):
    base = slugify(name)[:60] or "collaborative"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Collaborative.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- A collaborative -------------------------------------------------------------------------


def create_collaborative(user, *, name, purpose="", place="", issue="", demonstration=False, slug=None,
                         convenor_name=""):
    """A new collaborative with its five steps (the toolkit's tools placed on them) and its
    creator as convenor (`user`; or, for starter content, a convenor without an account)."""
    from intersector.library.models import Tool

    name = _text(name, _("name"), 200)
    with transaction.atomic():
        collaborative = Collaborative.objects.create(
            name=name, slug=slug or _unique_slug(name), purpose=_text(purpose, _("purpose"), 4000, required=False),
            place=_text(place, _("place"), 200, required=False), issue=_text(issue, _("issue"), 200, required=False),
            demonstration=demonstration, published=demonstration, created_by=user)
        tools = {tool.slug: tool for tool in Tool.objects.filter(live=True)}
        for order, key in enumerate(Step.Key.values):
            step = Step.objects.create(collaborative=collaborative, key=key, order=order)
            step.tools.set([tools[slug] for slug in STARTER_TOOLS[key] if slug in tools])
        if user is not None:
            Member.objects.create(collaborative=collaborative, role=Member.Role.CONVENOR, user=user,
                                  name=user.get_full_name() or user.get_username(), email=user.email or "",
                                  joined_at=timezone.now())
        else:
            Member.objects.create(collaborative=collaborative, role=Member.Role.CONVENOR,
                                  name=_text(convenor_name, _("convenor's name"), 150))
    return collaborative


def add_group(collaborative, name):
    name = _text(name, _("group's name"), 120)
    if collaborative.groups.filter(name__iexact=name).exists():
        raise Refused(_("There is already a group called “%(name)s”.") % {"name": name}, status=409)
    return InterestGroup.objects.create(collaborative=collaborative, name=name,
                                        order=collaborative.groups.count())


def add_partner(collaborative, *, name, sector, group=None, organisation=None):
    """A partner organisation: an existing site Organisation, or one made from a name and sector."""
    if group is not None and group.collaborative_id != collaborative.pk:
        raise Refused(_("Choose one of this collaborative's interest groups."), status=400)
    with transaction.atomic():
        if organisation is None:
            name = _text(name, _("organisation's name"), 200)
            if sector not in Sector.values:
                raise Refused(_("Choose the organisation's sector."), status=400)
            organisation = Organisation.objects.filter(name__iexact=name, sector=sector).first()
            if organisation is None:
                organisation = accounts.create_organisation(name=name, sector=sector)
        if collaborative.partners.filter(organisation=organisation).exists():
            raise Refused(_("%(name)s is already a partner.") % {"name": organisation.name}, status=409)
        return Partner.objects.create(collaborative=collaborative, organisation=organisation, group=group)


def clean_email(email, required=True):
    """Agree's address check (one rule for every invitation), as a refusal."""
    from intersector.agreements.invitations import clean_email as checked

    if not (email or "").strip() and not required:
        return ""
    try:
        return checked(email)
    except ValidationError as error:
        raise Refused(error.messages[0], status=400) from None


def add_person(collaborative, *, name, email, role, partner=None, starts=None, ends=None):
    """A person who takes part: a convenor, or for a partner its representative (one at a time),
    an alternate or an observer."""
    name = _text(name, _("person's name"), 150)
    if role not in Member.Role.values:
        raise Refused(_("Choose the person's role."), status=400)
    if role != Member.Role.CONVENOR and partner is None:
        raise Refused(_("Choose the partner this person takes part for."), status=400)
    if partner is not None and partner.collaborative_id != collaborative.pk:
        raise Refused(_("Choose one of this collaborative's partners."), status=400)
    starts = starts or timezone.localdate()
    if ends is not None and ends < starts:
        raise Refused(_("The end date comes before the start date."), status=400)
    with transaction.atomic():
        if role == Member.Role.REPRESENTATIVE:
            current = Partner.objects.select_for_update().get(pk=partner.pk).people.filter(
                role=Member.Role.REPRESENTATIVE).exclude(ends__lt=starts)
            if current.exists():
                raise Refused(_("%(partner)s already has a representative. Give the current one an end date "
                                "first, or add this person as an alternate.") % {"partner": partner}, status=409)
        return Member.objects.create(collaborative=collaborative, partner=partner, name=name,
                                     email=clean_email(email, required=False), role=role, starts=starts, ends=ends)


def end_membership(member, day=None):
    day = day or timezone.localdate()
    if member.role == Member.Role.CONVENOR and not member.collaborative.members.filter(
            role=Member.Role.CONVENOR, ends__isnull=True).exclude(pk=member.pk).exists():
        raise Refused(_("A collaborative needs a convenor: add another convenor first."), status=409)
    member.ends = max(day, member.starts)
    member.save(update_fields=["ends"])
    return member


# --- Invitations -----------------------------------------------------------------------------


def invite_token(member):
    return INVITE.make({"m": member.pk, "s": member.secret})


def send_invitation(member, *, link_for, inviter):
    """E-mail the person a new link (any earlier link stops working). Returns (link, sent)."""
    if member.user_id is not None:
        raise Refused(_("%(name)s has already joined.") % {"name": member.name}, status=409)
    if not member.email:
        raise Refused(_("Add %(name)s's e-mail address first.") % {"name": member.name}, status=400)
    member.secret, member.invited_at = new_secret(), timezone.now()
    member.save(update_fields=["secret", "invited_at"])
    link = link_for(invite_token(member))
    body = _("%(inviter)s invites you to take part in %(collaborative)s as %(role)s.\n\n"
             "Open this link to join (it works for %(days)s days, for one account):\n%(link)s\n") % {
        "inviter": inviter, "collaborative": member.collaborative.name,
        "role": member.get_role_display().lower(), "days": INVITE_DAYS, "link": link}
    try:
        send_mail(_("Your invitation to %(name)s") % {"name": member.collaborative.name}, body, None,
                  [member.email])
        sent = True
    except (smtplib.SMTPException, OSError):
        sent = False
    return link, sent


def member_from_link(token):
    """The member a link is for; Refused 404 (altered, replaced) or 410 (expired)."""
    try:
        data = INVITE.check(token)
    except tokens.Expired:
        raise Refused(_("This invitation has run out. Ask the convenor for a new one."), status=410) from None
    except tokens.BadToken:
        data = None
    member = None
    if isinstance(data, dict) and isinstance(data.get("m"), int):
        member = Member.objects.select_related("collaborative").filter(pk=data["m"]).first()
    if member is None or not tokens.same_secret(member.secret, data.get("s")):
        raise Refused(_("The link is wrong, or the invitation was replaced or withdrawn. Ask the convenor "
                        "for a new invitation."), status=404)
    return member


def accept_invitation(token, user):
    """Bind the invited person to this account, once; the same account may open it again."""
    member = member_from_link(token)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("collaborative").get(pk=member.pk)
        if member.user_id == user.pk:
            return member
        if member.user_id is not None:
            raise Refused(_("This invitation was already used by another account. If it was meant for you, "
                            "ask the convenor for a new one."), status=403)
        if member.collaborative.members.filter(user=user).exists():
            raise Refused(_("You already take part in this collaborative with this account."), status=409)
        member.user, member.joined_at = user, timezone.now()
        try:
            with transaction.atomic():
                member.save(update_fields=["user", "joined_at"])
        except IntegrityError:
            raise Refused(_("You already take part in this collaborative with this account."), status=409) from None
    return member


# --- Steps and worksheets --------------------------------------------------------------------


def update_step(step, *, status, starts=None, ends=None, owner=None):
    if status not in Step.Status.values:
        raise Refused(_("Choose the step's status."), status=400)
    if starts and ends and ends < starts:
        raise Refused(_("The end date comes before the start date."), status=400)
    if owner is not None and owner.collaborative_id != step.collaborative_id:
        raise Refused(_("Choose a person of this collaborative."), status=400)
    step.status, step.starts, step.ends, step.owner = status, starts, ends, owner
    step.save(update_fields=["status", "starts", "ends", "owner"])
    return step


def place_tool(step, tool):
    step.tools.add(tool)


def remove_tool(step, tool):
    if step.worksheets.filter(tool=tool).exists():
        raise Refused(_("This tool has a worksheet on this step: it stays, so its answers are kept."), status=409)
    step.tools.remove(tool)


def worksheet_for(step, tool):
    """This collaborative's worksheet for a tool on a step (made on first opening)."""
    if not step.tools.filter(pk=tool.pk).exists():
        raise Refused(_("That tool is not on this step."), status=404)
    worksheet, _created = Worksheet.objects.get_or_create(
        step=step, tool=tool, defaults={"collaborative_id": step.collaborative_id})
    return worksheet


def save_worksheet(worksheet, author, answers, *, based_on):
    """A new version with the answers (a list in the order of the tool's questions). Every save is
    kept: when someone saved in between (`based_on` is not the latest), this one is saved after
    theirs and `overtaken` says whose, so the person can compare; nothing is lost."""
    questions = worksheet.tool.question_list
    if len(answers) != len(questions):
        raise Refused(_("The tool's questions changed while you wrote. Copy your answers, open the worksheet "
                        "again and paste them."), status=409)
    cleaned = [_text(answer, _("answer"), MAX_ANSWER, required=False) for answer in answers]
    if not any(cleaned):
        raise Refused(_("Write at least one answer before saving."), status=400)
    rows = [{"question": q, "answer": a} for q, a in zip(questions, cleaned)]
    for attempt in range(3):
        try:
            with transaction.atomic():
                # Saves of one worksheet take turns (the worksheet's row is the lock): each gets
                # the next number. SQLite has no row locks: a save that lost the race for a
                # number (the unique constraint) simply tries again with the next one.
                Worksheet.objects.select_for_update().filter(pk=worksheet.pk).first()
                latest = (WorksheetVersion.objects.filter(worksheet=worksheet).select_related("author")
                          .order_by("-number").first())
                number = latest.number + 1 if latest else 1
                version = WorksheetVersion.objects.create(worksheet=worksheet, number=number, author=author,
                                                          answers=rows)
            break
        except IntegrityError:
            if attempt == 2:
                raise Refused(_("Many people saved this worksheet at once. Save again: your answers are "
                                "still in the form."), status=409) from None
    version.overtaken = latest if latest and latest.number != (based_on or 0) else None
    return version


def join_with_new_account(token, *, password, name=""):
    """Someone invited who has no account yet: the link came to their e-mail, so an account for
    that address is made with the password they choose, and bound to the invitation."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    member = member_from_link(token)
    if member.user_id is not None:
        raise Refused(_("This invitation was already used. Sign in with the account that used it."), status=403)
    if not member.email:
        raise Refused(_("This invitation has no e-mail address. Ask the convenor to add yours."), status=400)
    User = get_user_model()
    if User.objects.filter(email__iexact=member.email).exists() or User.objects.filter(
            username__iexact=member.email).exists():
        raise Refused(_("There is already an account for %(email)s: sign in with it to join.")
                      % {"email": member.email}, status=409)
    user = User(username=member.email, email=member.email)
    try:
        validate_password(password or "", user)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), status=400) from None
    first, _sep, last = (_text(name, _("name"), 150, required=False) or member.name).partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    user.set_password(password)
    with transaction.atomic():
        user.save()
        member = accept_invitation(token, user)
    return member, user


# --- The charter -----------------------------------------------------------------------------


def agreements_for_charter(user):
    """Agreements this person takes part in as a partner (their own account or organisation):
    the ones they may link as a collaborative's charter."""
    from intersector.agreements.models import Agreement

    org_ids = user.memberships.values_list("organisation_id", flat=True)
    return (Agreement.objects.filter(partners__user=user) | Agreement.objects.filter(
        partners__organisation_id__in=org_ids)).distinct().order_by("-updated")


def link_charter(collaborative, user, agreement_pk):
    """Link one of the convenor's agreements as the collaborative's charter (None: unlink)."""
    agreement = None
    if agreement_pk is not None:
        agreement = agreements_for_charter(user).filter(pk=agreement_pk).first()
        if agreement is None:
            raise Refused(_("Choose one of the agreements you take part in."), status=400)
    with transaction.atomic():
        collaborative.charter = agreement
        collaborative.save(update_fields=["charter"])
        if agreement is not None:  # its decision-making answer sets the decision rules
            from intersector.collaboratives import decision_rules

            decision_rules.rules_from_charter(collaborative, access.member_of(user, collaborative))
    return agreement
