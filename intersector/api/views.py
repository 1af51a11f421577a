"""Pages where people manage their API tokens (mounted at /accounts/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from intersector.api import services
from intersector.api.forms import TokenForm
from intersector.api.models import ApiToken


@require_safe
@login_required
def token_list(request):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens/list.html", {"tokens": tokens})


@never_cache  # the page that shows the secret must not be kept by browsers or proxies
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            # Shown in this response only; never stored, so never shown again.
            return render(request, "api/tokens/created.html", {"token": token, "secret": secret})
    status = 400 if form.is_bound else 200
    return render(request, "api/tokens/create.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        services.revoke_token(token)
        messages.success(
            request,
            _("The token “%(name)s” is revoked. Scripts using it can no longer get in.")
            % {"name": token.name},
        )
        return redirect("api_tokens:list")
    return render(request, "api/tokens/revoke.html", {"token": token})
