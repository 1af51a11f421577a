from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

class NoColon:
    """Labels read as plain words, without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


REQUIRED = {
    "username": _("Enter your user name or e-mail address."),
    "password": _("Enter your password."),
}


class SignInForm(NoColon, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That e-mail/user name and password do not match. Check them and try again."
        ),
        "inactive": _("This account is switched off. Ask the person who runs this site."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("User name or e-mail address")
        # Long enough for an e-mail address, not only for a user name.
        username.max_length = 254
        username.widget.attrs.update({"maxlength": 254, "autocomplete": "username"})
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message


def _plain_new_password_words(form):
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password2"].label = _("Type the new password again")
    form.fields["new_password2"].help_text = _("So we know there is no typing mistake.")
    form.error_messages = {
        **form.error_messages,
        "password_mismatch": _("The two passwords are not the same. Type them again."),
    }


class SetNewPasswordForm(NoColon, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_new_password_words(self)


class ChangePasswordForm(NoColon, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_new_password_words(self)
        self.fields["old_password"].label = _("Your current password")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("That is not your current password. Type it again."),
        }


class ResetPasswordForm(NoColon, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("E-mail address of your account")
        email.error_messages.update(
            {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter an e-mail address like name@example.org."),
            }
        )


class AccountForm(NoColon, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send password reset links here."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
