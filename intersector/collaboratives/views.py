"""Collaborate's pages. Each view asks access.check for the person's role first; the actions are
services.* (a view never writes a model itself)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intersector.accounts.models import Sector
from intersector.collaboratives import access, services
from intersector.collaboratives.models import Collaborative, Member, Partner, Step
from intersector.library.models import Tool
from intersector.refusals import Refused


def _collaborative(slug):
    collaborative = Collaborative.objects.filter(slug=slug).select_related("charter").first()
    if collaborative is None:
        raise Refused(_("We could not find that collaborative."), status=404)
    return collaborative


def _date(value, label):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(_("Write the %(label)s as a date, like 2027-03-31.") % {"label": label}, status=400) from None


def index(request):
    mine = []
    if request.user.is_authenticated:
        mine = (Collaborative.objects.filter(members__user=request.user).distinct())
    published = Collaborative.objects.filter(published=True).exclude(pk__in=[c.pk for c in mine])
    return render(request, "collaboratives/index.html", {"mine": mine, "published": published})


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    if request.method == "POST":
        try:
            collaborative = services.create_collaborative(
                request.user, name=request.POST.get("name"), purpose=request.POST.get("purpose"),
                place=request.POST.get("place"), issue=request.POST.get("issue"))
        except Refused as refusal:
            return render(request, "collaboratives/new.html", {"problem": refusal.message, "form": request.POST},
                          status=refusal.status)
        messages.success(request, _("Your collaborative is ready. Add its partners next."))
        return redirect("collaboratives:partners", collaborative.slug)
    return render(request, "collaboratives/new.html", {"form": {}})


def home(request, slug):
    collaborative = _collaborative(slug)
    member = access.member_of(request.user, collaborative)
    if not access.can(member, "see") and not collaborative.demonstration:
        if not collaborative.published:
            raise Refused(_("We could not find that collaborative."), status=404)
        return render(request, "collaboratives/public.html", {"collaborative": collaborative})
    steps = collaborative.steps.select_related("owner").prefetch_related("tools")
    # Counted by the database: a big collaborative's 480 partners need not be read to be counted.
    sectors = dict(Sector.choices)
    counts = collaborative.partners.values_list("organisation__sector").annotate(n=Count("pk"))
    by_sector = {str(sectors.get(sector, sector)): n for sector, n in counts}
    return render(request, "collaboratives/home.html", {
        "collaborative": collaborative, "member": member, "steps": steps, "partner_count": sum(by_sector.values()),
        "by_sector": sorted(by_sector.items()), "people_count": collaborative.members.count(),
        "groups": collaborative.groups.all(), "manage": access.can(member, "manage"),
        "own_agreements": services.agreements_for_charter(request.user)[:50] if access.can(member, "manage") else []})


@require_POST
def charter(request, slug):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    if request.POST.get("action") == "unlink":
        services.link_charter(collaborative, request.user, None)
        messages.success(request, _("The charter is no longer linked. The agreement itself is unchanged in Agree."))
    else:
        chosen = _uuid(request.POST.get("agreement"))  # agreements are known by a UUID
        if chosen is None:
            raise Refused(_("Choose one of the agreements you take part in."), status=400)
        agreement = services.link_charter(collaborative, request.user, chosen)
        messages.success(request, _("Linked %(name)s as the charter.") % {"name": agreement.name})
    return redirect(collaborative.get_absolute_url())


PARTNER_PAGE = 60  # partners a page lists, group by group: 480 with their people took seconds to write


def _partners_context(collaborative, member, page_number=None, chosen_partner=None):
    """One page of the partners, in their interest groups (groups in order, then those in none),
    each group's heading with its whole count; groups without partners on the last page."""
    # The one who decides for the partner first, then who stands in, then who follows (not A to Z).
    rank = Case(*(When(role=role, then=Value(n)) for n, role in enumerate(
        (Member.Role.REPRESENTATIVE, Member.Role.ALTERNATE, Member.Role.OBSERVER))), default=Value(3))
    people = Member.objects.order_by(rank, "name")
    ordered = (collaborative.partners.select_related("organisation", "group")
               .order_by(F("group__order").asc(nulls_last=True), "group__name", "organisation__name", "pk"))
    page = Paginator(ordered.prefetch_related(Prefetch("people", queryset=people)), PARTNER_PAGE
                     ).get_page(page_number)
    counts = dict(collaborative.partners.values_list("group").annotate(n=Count("pk")))
    groups = []
    for group in list(collaborative.groups.all()) + [None]:
        members = [p for p in page.object_list if p.group_id == (group.pk if group else None)]
        if members or (group is not None and not counts.get(group.pk) and not page.has_next()):
            groups.append((group, members, counts.get(group.pk if group else None, 0)))
    manage = access.can(member, "manage")
    return {"collaborative": collaborative, "member": member, "groups": groups, "page": page,
            "convenors": collaborative.members.filter(role=Member.Role.CONVENOR),
            "manage": manage, "sectors": Sector.choices,
            "roles": [r for r in Member.Role.choices if r[0] != Member.Role.CONVENOR],
            "partner_options": _options(_partner_choices(collaborative), chosen_partner) if manage else "",
            "all_groups": collaborative.groups.all(), "today": date.today()}


def _partner_choices(collaborative):
    return [(pk, escape(name)) for pk, name in collaborative.partners.order_by("organisation__name", "pk")
            .values_list("pk", "organisation__name")]


@never_cache
def partners(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    return render(request, "collaboratives/partners.html",
                  _partners_context(collaborative, member, request.GET.get("page")))


@require_POST
def manage_partners(request, slug):
    """The convenor's forms on the partners page: a group, a partner, a person, an invitation."""
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    action = request.POST.get("action")
    try:
        message = _do(request, collaborative, action)
    except Refused as refusal:
        context = _partners_context(collaborative, member, chosen_partner=_int(request.POST.get("partner")))
        # A form's own problem shows beside that form; any other at the top of the page.
        in_form = action if action in ("group", "partner", "person") else ""
        context.update(problem=refusal.message, problem_action=in_form, form=request.POST)
        return render(request, "collaboratives/partners.html", context, status=refusal.status)
    messages.success(request, message)
    return redirect("collaboratives:partners", collaborative.slug)


def _do(request, collaborative, action):
    post = request.POST
    if action == "group":
        group = services.add_group(collaborative, post.get("name"))
        return _("Added the group %(name)s.") % {"name": group}
    if action == "partner":
        group = collaborative.groups.filter(pk=_int(post.get("group"))).first() if post.get("group") else None
        partner = services.add_partner(collaborative, name=post.get("name"), sector=post.get("sector"), group=group)
        return _("Added %(name)s.") % {"name": partner}
    if action == "person":
        partner = collaborative.partners.filter(pk=_int(post.get("partner"))).first()
        if partner is None:
            raise Refused(_("Choose the partner this person takes part for."), status=400)
        person = services.add_person(collaborative, name=post.get("name"), email=post.get("email"),
                                     role=post.get("role"), partner=partner,
                                     starts=_date(post.get("starts"), _("start date")),
                                     ends=_date(post.get("ends"), _("end date")))
        if person.email:
            return _invite(request, person)
        return _("Added %(name)s.") % {"name": person}
    if action == "invite":
        person = get_object_or_404(Member, pk=_int(post.get("member")), collaborative=collaborative)
        return _invite(request, person)
    if action == "end":
        person = get_object_or_404(Member, pk=_int(post.get("member")), collaborative=collaborative)
        services.end_membership(person, _date(post.get("ends"), _("end date")))
        return _("%(name)s's role ends on %(day)s.") % {"name": person, "day": person.ends}
    raise Refused(_("Choose what to do."), status=400)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _invite(request, person):
    def link_for(token):
        return request.build_absolute_uri(reverse("collaboratives:join", args=[token]))

    _link, sent = services.send_invitation(person, link_for=link_for, inviter=request.user)
    if sent:
        return _("Sent %(name)s an invitation by e-mail.") % {"name": person}
    return _("Added %(name)s, but the invitation e-mail could not be sent. Try inviting them "
             "again later.") % {"name": person}


@never_cache
@require_http_methods(["GET", "POST"])
def join(request, token):
    member = services.member_from_link(token)
    collaborative = member.collaborative
    if request.method == "POST":
        if request.user.is_authenticated:
            services.accept_invitation(token, request.user)
        else:
            try:
                member, user = services.join_with_new_account(
                    token, password=request.POST.get("password"), name=request.POST.get("name"))
            except Refused as refusal:
                return render(request, "collaboratives/join.html",
                              {"member": member, "collaborative": collaborative, "token": token,
                               "problem": refusal.message}, status=refusal.status)
            login(request, user, backend="intersector.accounts.backends.EmailOrUsernameBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": collaborative})
        return redirect(collaborative.get_absolute_url())
    if member.user_id is not None and member.user_id == getattr(request.user, "pk", None):
        return redirect(collaborative.get_absolute_url())
    return render(request, "collaboratives/join.html",
                  {"member": member, "collaborative": collaborative, "token": token})


# --- Steps and worksheets --------------------------------------------------------------------


def _step(collaborative, key):
    step = collaborative.steps.filter(key=key).select_related("owner").first()
    if step is None:
        raise Refused(_("We could not find that step."), status=404)
    return step


@never_cache
def steps(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    steps = list(collaborative.steps.select_related("owner").prefetch_related("tools", "worksheets__versions"))
    manage = access.can(member, "manage")
    people = _people_options(collaborative) if manage else []
    for step in steps:
        done = {w.tool_id: w for w in step.worksheets.all()}
        step.cards = [(tool, done.get(tool.pk)) for tool in step.tools.all()]
        if manage:
            step.owner_options = _options(people, step.owner_id)
    return render(request, "collaboratives/steps.html", {
        "collaborative": collaborative, "member": member, "steps": steps,
        "manage": manage, "statuses": Step.Status.choices,
        "tools": Tool.objects.filter(live=True).select_related("stage")})


def _people_options(collaborative):
    """(pk, escaped name) of everyone in the collaborative, by name, for the steps' "Led by" lists."""
    return [(pk, escape(name)) for pk, name in collaborative.members.order_by("name", "pk").values_list("pk", "name")]


def _options(choices, chosen):
    """<option>s written here, not by a template loop: each of the five steps lists every person
    (1,000 and more in a big collaborative) and the partners page every partner, which a template
    loop took a large part of the page's time to write."""
    return mark_safe("".join(f'<option value="{pk}"{" selected" if pk == chosen else ""}>{name}</option>'
                             for pk, name in choices))  # names escaped by _people_options


@require_POST
def edit_step(request, slug, key):
    collaborative = _collaborative(slug)
    access.check(request.user, collaborative, "manage")
    step = _step(collaborative, key)
    action = request.POST.get("action", "step")
    if action == "step":
        owner = collaborative.members.filter(pk=_int(request.POST.get("owner"))).first()
        services.update_step(step, status=request.POST.get("status"),
                             starts=_date(request.POST.get("starts"), _("start date")),
                             ends=_date(request.POST.get("ends"), _("end date")), owner=owner)
        messages.success(request, _("Saved the %(step)s step.") % {"step": step})
    elif action in ("place", "remove"):
        tool = Tool.objects.filter(live=True, pk=_int(request.POST.get("tool"))).first()
        if tool is None:
            raise Refused(_("Choose a tool from the toolkit."), status=400)
        (services.place_tool if action == "place" else services.remove_tool)(step, tool)
        messages.success(request, _("Placed %(tool)s on %(step)s.") % {"tool": tool.title, "step": step}
                         if action == "place" else
                         _("Took %(tool)s off %(step)s.") % {"tool": tool.title, "step": step})
    else:
        raise Refused(_("Choose what to do."), status=400)
    return redirect(reverse("collaboratives:steps", args=[collaborative.slug]) + f"#step-{step.key}")


@never_cache
@require_http_methods(["GET", "POST"])
def worksheet(request, slug, key, tool_slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    step = _step(collaborative, key)
    tool = Tool.objects.filter(live=True, slug=tool_slug).first()
    if tool is None:
        raise Refused(_("We could not find that tool."), status=404)
    sheet = services.worksheet_for(step, tool)
    problem = None
    if request.method == "POST":
        access.check(request.user, collaborative, "write")
        answers = [request.POST.get(f"answer-{n}", "") for n in range(len(tool.question_list))]
        try:
            version = services.save_worksheet(sheet, member, answers,
                                              based_on=_int(request.POST.get("based_on")))
        except Refused as refusal:
            problem = refusal
        else:
            if version.overtaken is not None:
                messages.warning(request, _(
                    "%(name)s saved a version while you wrote. Yours is saved as version %(n)s, after theirs: "
                    "compare them in the history below.") % {
                    "name": version.overtaken.author or _("Someone"), "n": version.number})
            else:
                messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect(request.path)
    versions = list(sheet.versions.select_related("author"))
    latest = versions[0] if versions else None
    answers = [a["answer"] for a in latest.answers] if latest and len(latest.answers) == len(tool.question_list) else []
    if problem is not None:
        answers = [request.POST.get(f"answer-{n}", "") for n in range(len(tool.question_list))]
    rows = [(n, question, answers[n] if n < len(answers) else "") for n, question in enumerate(tool.question_list)]
    return render(request, "collaboratives/worksheet.html", {
        "collaborative": collaborative, "member": member, "step": step, "tool": tool, "sheet": sheet,
        "rows": rows, "latest": latest, "versions": versions, "can_write": access.can(member, "write"),
        "problem": problem.message if problem else None}, status=problem.status if problem else 200)
