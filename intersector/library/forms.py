from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 2_000_000


class DescriptionForm(forms.Form):
    description = forms.CharField(
        label=_("Describe your situation"),
        help_text=_(
            "A few sentences: the problem, where, and who is involved or could be. "
            "For example: “Our town's river is polluted and the factory, the council and a volunteer group disagree.”"
        ),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write a few words about your situation first."),
            "min_length": _("Write a little more (at least %(limit_value)d characters), so we can compare it with the cases."),
        },
    )


class NewsletterForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your e-mail address."), "invalid": _("Enter an e-mail address like name@example.org.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A spreadsheet saved as CSV, with the column names on the first line."),
        error_messages={"required": _("Choose a CSV file to upload."), "empty": _("This file is empty.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is larger than 2 MB. Split it into smaller files."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file. In a spreadsheet program, use “Save as” and pick CSV."))
        return upload
