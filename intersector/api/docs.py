"""The API docs page (Swagger UI) from the copy django-ninja ships, never from a CDN.

Our Content-Security-Policy allows scripts from our own static files only, and servers may
have no internet. django-ninja's static files (static/ninja/) are only collected when "ninja"
is in INSTALLED_APPS; without it the page says where the OpenAPI description is instead.
"""

import json

from django.apps import apps
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class BundledSwagger(Swagger):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        openapi_url = self.get_openapi_url(api, kwargs)
        if not apps.is_installed("ninja"):
            return render(request, "api/docs_unavailable.html", {"openapi_url": openapi_url})
        swagger_settings = json.dumps({**self.settings, "url": openapi_url})
        context = {
            # Escaped like Django's json_script, as it sits inside a <script> element.
            "swagger_settings": swagger_settings.replace("<", "\\u003c").replace(">", "\\u003e"),
            "api": api,
            "add_csrf": _csrf_needed(api),
            "openapi_url": openapi_url,
        }
        return render(request, self.template, context)
