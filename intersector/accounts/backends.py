from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend


def find_account(name):
    """The one account whose user name, or e-mail address if `name` has an @, is `name`.

    None when nothing matches, or when an e-mail address is shared by several accounts (we cannot
    tell which one is meant).
    """
    name = (name or "").strip()
    if not name:
        return None
    User = get_user_model()
    lookup = "email__iexact" if "@" in name else "username__iexact"
    matches = list(User._default_manager.filter(**{lookup: name})[:2])
    return matches[0] if len(matches) == 1 else None


class EmailOrUsernameBackend(ModelBackend):
    """Sign in with either the user name or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal whether the account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


# What every staff member may do in /cms/ without being put in a group by hand: open it, and
# look after the organisations people belong to (memberships are edited on the same page).
STAFF_PERMISSIONS = frozenset(
    {
        "wagtailadmin.access_admin",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.delete_organisation",
    }
)


class StaffCmsAccessBackend(BaseBackend):
    """Staff users may open the Wagtail admin and manage organisations there."""

    def has_perm(self, user_obj, perm, obj=None):
        return perm in STAFF_PERMISSIONS and user_obj.is_active and user_obj.is_staff
