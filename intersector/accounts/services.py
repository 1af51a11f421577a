"""What people and staff can do with accounts and organisations.

Every change goes through one of these functions: it validates, then saves in a transaction.
Errors are ValidationErrors with plain messages that a form can show as they are.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from intersector.accounts.models import Membership, Organisation, Role


def create_organisation(*, name, sector, slug="", website=""):
    organisation = Organisation(
        name=(name or "").strip(), sector=sector, slug=(slug or "").strip(), website=website or ""
    )
    # full_clean checks the name, sector and website, and makes a free slug when none is given.
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
    return organisation


def add_member(organisation, user, role=Role.MEMBER):
    if role not in Role.values:
        raise ValidationError({"role": _("Choose whether the person is a member or an admin.")})
    already = _("%(name)s is already a member of %(organisation)s.") % {
        "name": user,
        "organisation": organisation,
    }
    try:
        with transaction.atomic():
            if Membership.objects.filter(organisation=organisation, user=user).exists():
                raise ValidationError(already)
            return Membership.objects.create(organisation=organisation, user=user, role=role)
    except IntegrityError:
        # Someone added the same person at the same moment.
        raise ValidationError(already) from None


def remove_member(organisation, user):
    with transaction.atomic():
        deleted, _counts = Membership.objects.filter(organisation=organisation, user=user).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s is not a member of %(organisation)s.")
            % {"name": user, "organisation": organisation}
        )


def update_account(user, *, first_name, last_name, email):
    """Change a person's own name and e-mail address."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Enter your e-mail address.")})
    taken = (
        get_user_model()
        ._default_manager.filter(email__iexact=email)
        .exclude(pk=user.pk)
        .exists()
    )
    if taken:
        # Sign-in by e-mail needs each address to belong to one account.
        raise ValidationError(
            {"email": _("Another account already uses this e-mail address. Use a different one.")}
        )
    fields = ["first_name", "last_name", "email"]
    user.first_name = (first_name or "").strip()
    user.last_name = (last_name or "").strip()
    user.email = email
    try:
        user.full_clean(exclude=["password"])
    except ValidationError:
        # Put back what is saved, so the page does not show a name that was never accepted.
        user.refresh_from_db(fields=fields)
        raise
    with transaction.atomic():
        user.save(update_fields=fields)
    return user
