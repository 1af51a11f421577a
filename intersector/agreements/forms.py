from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from intersector.agreements.models import RATINGS, Agreement, Partner
from intersector.agreements.scorecard import FAMILY_KEYS

SECTORS = Partner._meta.get_field("sector").choices


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("Name of the partnership"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One or two sentences: what the partners want to do together."))
    form = forms.ChoiceField(label=_("Form of agreement"), choices=Agreement.Form.choices,
                             initial=Agreement.Form.MOU, widget=forms.RadioSelect,
                             help_text=_("The form sets which elements of the scorecard are expected."))


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=200)
    # A blank first choice, so that an unused partner row stays empty and is skipped.
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose a sector"))] + list(SECTORS))
    representative = forms.CharField(label=_("Representative"), max_length=200)
    alternate = forms.CharField(label=_("Alternate"), max_length=200, required=False)
    # The first partner (the person starting the agreement) needs none: it is theirs at once.
    email = forms.EmailField(label=_("E-mail for the invitation"), max_length=254, required=False,
                             help_text=_("The platform sends this partner's private invitation here."))


class BasePartnerFormSet(BaseFormSet):
    def clean(self):
        """Every partner after the first needs the address its invitation goes to."""
        for position, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if position and data and not data.get("email") and "email" not in form.errors:
                form.add_error("email", _("Give the e-mail address this partner's invitation goes to."))


PartnerFormSet = formset_factory(PartnerForm, formset=BasePartnerFormSet, extra=2, min_num=2,
                                 max_num=8, validate_min=True, validate_max=True)


class PartnerInviteForm(forms.Form):
    """Send a partner's invitation again (a new link), perhaps to a corrected address."""

    email = forms.EmailField(label=_("E-mail for the invitation"), max_length=254)


class FocusForm(forms.Form):
    families = forms.MultipleChoiceField(label=_("Families to address first"),
                                         widget=forms.CheckboxSelectMultiple, choices=[])

    def __init__(self, *args, card, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["families"].choices = [(f.key, f.title) for f in card.families]

    def clean_families(self):
        chosen = self.cleaned_data["families"]
        if not 3 <= len(chosen) <= 5:
            raise forms.ValidationError(_("Choose between 3 and 5 families."))
        return [key for key in FAMILY_KEYS if key in chosen]


class ElementForm(forms.Form):
    text = forms.CharField(required=False, max_length=20_000)
    rating = forms.ChoiceField(required=False, choices=[("", "")] + RATINGS)
    comment = forms.CharField(required=False, max_length=2000)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(forms.Form):
    name = forms.CharField(label=_("Name of the person signing"), max_length=200)


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the file name."))
    form = forms.ChoiceField(label=_("Form of agreement"), choices=Agreement.Form.choices,
                             initial=Agreement.Form.MOU)
    document = forms.FileField(label=_("Agreement file"), allow_empty_file=True,
                               help_text=_("A PDF, Word (.docx) or text file, up to 50 pages and 20 MB."))


class GuestForm(forms.Form):
    """A partner invites a named person (an adviser, a lawyer) to read or comment."""

    name = forms.CharField(label=_("Their name"), max_length=200)
    email = forms.EmailField(label=_("Their e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("They can"), widget=forms.RadioSelect, initial="viewer",
                             choices=[("viewer", _("read the agreement")),
                                      ("commenter", _("read the agreement and comment on it"))])
