from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class StaffOnlyCmsMiddleware:
    """The content admin at /cms/ is for staff only: others are sent to sign in or refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/cms/"):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not (user.is_active and user.is_staff):
                raise PermissionDenied("The content admin is for staff.")
        return self.get_response(request)
