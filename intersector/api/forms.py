from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “Monthly report script”. Only you see it."),
        error_messages={"required": _("Give the token a name, such as the script that will use it.")},
    )
