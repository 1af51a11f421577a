"""A tiny API with the site's auth and one unsafe endpoint, to test CSRF on session calls.

The real API has no unsafe endpoint yet; this uses the same auth list and error handlers.
"""

from django.urls import path
from ninja import NinjaAPI

from intersector.api import errors
from intersector.api.auth import default_auth

csrf_api = NinjaAPI(title="CSRF test", urls_namespace="csrf-test", auth=default_auth)
errors.install(csrf_api)


@csrf_api.post("/echo")
def echo(request):
    return {"username": request.auth.get_username()}


urlpatterns = [path("api/", csrf_api.urls)]
