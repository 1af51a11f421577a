from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Sign in with either the user name or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        lookup = "email__iexact" if "@" in username else "username__iexact"
        matches = list(User._default_manager.filter(**{lookup: username.strip()})[:2])
        if len(matches) != 1:
            # Run the hasher anyway so that timing does not reveal whether the account exists.
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class StaffCmsAccessBackend(BaseBackend):
    """Staff users may open the Wagtail admin without being put in a group by hand."""

    def has_perm(self, user_obj, perm, obj=None):
        return (
            perm == "wagtailadmin.access_admin"
            and user_obj.is_active
            and user_obj.is_staff
        )
