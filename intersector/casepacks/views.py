"""Staff pages for case packs: the list with "Import a pack file", and "Download this pack".

Role briefs are confidential, so both need the case-pack permissions that /cms/ uses (view;
add and change to import): a visitor without an account is sent to sign in, anyone else without
the permission is refused (403).
Editing a pack field by field is in /cms/ (wagtail_hooks.py).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from intersector.casepacks import packs, services
from intersector.casepacks.models import StoredPack
from intersector.refusals import Refused

VIEW = "casepacks.view_storedpack"
IMPORT = ("casepacks.add_storedpack", "casepacks.change_storedpack")


def _refuse_unless(request, *permissions):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perms(permissions):
        raise Refused(_("Case packs hold confidential role briefs: only staff allowed to see "
                        "case packs can open this page."), status=403)
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    refusal = _refuse_unless(request, VIEW, *(IMPORT if request.method == "POST" else ()))
    if refusal:
        return refusal
    problems, status = [], 200
    if request.method == "POST":
        try:
            stored, outcome = services.import_file(request.FILES.get("file"), request.user,
                                                   replace=request.POST.get("replace") == "on")
        except (packs.CasePackError, services.PackExists) as error:
            problems = getattr(error, "problems", [error.message])
            status = error.status
        else:
            messages.success(request, {
                "created": _("'%(title)s' (%(language)s) is imported as version %(version)s."),
                "replaced": _("'%(title)s' (%(language)s) is replaced; it is now version "
                              "%(version)s."),
                "unchanged": _("Nothing changed: '%(title)s' (%(language)s) is already this "
                               "pack, version %(version)s."),
            }[outcome] % {"title": stored.title, "language": stored.language,
                          "version": stored.version})
            return redirect("casepacks:index")
    stored = StoredPack.objects.defer("data").order_by("key", "language")
    return render(request, "casepacks/index.html", {
        "packs": stored, "problems": problems, "limit_kb": packs.MAX_FILE_BYTES // 1024,
        "may_import": request.user.has_perms(IMPORT)}, status=status)


@require_safe
def download(request, pk):
    refusal = _refuse_unless(request, VIEW)
    if refusal:
        return refusal
    stored = get_object_or_404(StoredPack, pk=pk)
    text = packs.export(packs.validate(stored.data))
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response["Cache-Control"] = "no-store"
    return response
