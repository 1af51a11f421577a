"""What changed in a collaborative (a feed for everyone who sees it) and each person's own
settings there (the e-mail digest). activity.py reads the changes and sends the digests."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from intersector.collaboratives import access
from intersector.collaboratives import activity as feed
from intersector.collaboratives.models import Digest
from intersector.collaboratives.views import _collaborative, _int
from intersector.refusals import Refused


@never_cache
@require_safe
def activity(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    number = _int(request.GET.get("page")) or 1
    if number < 1 or number > 10_000:
        raise Refused(_("There is no such page."), status=404)
    rows, more = feed.page(collaborative, number)
    if number > 1 and not rows:
        raise Refused(_("There is no such page: the feed is shorter."), status=404)
    return render(request, "collaboratives/activity.html", {
        "collaborative": collaborative, "member": member, "changes": rows, "number": number,
        "next": number + 1 if more else None, "previous": number - 1 if number > 1 else None})


@never_cache
@require_http_methods(["GET", "POST"])
def my_settings(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    if member is None:
        raise Refused(_("Only people who take part in this collaborative have settings here."), status=403)
    if request.method == "POST":
        feed.set_digest(member, request.POST.get("digest"), language=get_language())
        messages.success(request, _("Saved. %(choice)s.") % {"choice": member.get_digest_display()})
        return redirect("collaboratives:my_settings", collaborative.slug)
    return render(request, "collaboratives/settings.html", {
        "collaborative": collaborative, "member": member, "choices": Digest.choices,
        "address": feed.address_of(member)})
