"""The site's addresses, plus a stand-in API tokens page (built elsewhere) for the link test."""

from django.http import HttpResponse
from django.urls import include, path

from intersector import urls as site

tokens = ([path("", lambda request: HttpResponse("tokens"), name="list")], "api_tokens")

urlpatterns = [path("accounts/tokens/", include(tokens))] + [
    pattern for pattern in site.urlpatterns if getattr(pattern, "namespace", None) != "api_tokens"
]
