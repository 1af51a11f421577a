from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intersector.accounts import forms, ratelimit, services


class BadInputIs400:
    """A form sent back with mistakes answers 400, as everywhere on the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignInView(BadInputIs400, auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ratelimit.refuse_if_paused(request, request.POST.get("username", ""))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        ratelimit.signed_in(self.request, form.get_user())
        return super().form_valid(form)

    def form_invalid(self, form):
        # Only a real guess counts: both boxes filled in and the pair did not match.
        if form.data.get("username", "").strip() and form.data.get("password"):
            ratelimit.record_failure(self.request, form.data["username"])
        return super().form_invalid(form)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_out(request):
    """POST signs out; GET (a typed or bookmarked address) asks first, since links must not."""
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You are signed out."))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/sign_out.html")


class PasswordResetView(BadInputIs400, auth_views.PasswordResetView):
    form_class = forms.ResetPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    extra_email_context = {"site_name": "Intersector"}
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form):
        # Counted whether or not an account uses the address, so a refusal reveals nothing.
        ratelimit.count_reset_mail(self.request, form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(BadInputIs400, auth_views.PasswordResetConfirmView):
    form_class = forms.SetNewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        ratelimit.password_reset(self.request, form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(BadInputIs400, auth_views.PasswordChangeView):
    form_class = forms.ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def account(request):
    user = request.user
    status = 200
    if request.method == "POST":
        form = forms.AccountForm(request.POST)
        if form.is_valid():
            try:
                services.update_account(user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your details are saved."))
                return redirect("accounts:account")
        status = 400
    else:
        saved = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        form = forms.AccountForm(initial=saved)
    memberships = user.memberships.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "memberships": memberships},
        status=status,
    )
