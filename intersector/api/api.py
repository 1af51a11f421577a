"""The Intersector API at /api/: django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs.

Add a feature's router with `api.add_router("", router)` below. Unknown addresses under
/api/ always answer with a JSON 404 (see IntersectorAPI), whatever routers are added.
"""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from intersector.api import errors
from intersector.api.auth import default_auth
from intersector.api.docs import BundledSwagger
from intersector.api.routers import jobs, me


DETAIL = {"application/json": {"schema": {
    "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
}}}
REFUSED_TEXT = {
    "description": "Text that cannot be saved: a control character, or only invisible characters",
    "content": DETAIL,
}
TOO_MANY_TOKENS = {
    "description": "Too many wrong API tokens came from this address: wait (see Retry-After)",
    "content": DETAIL,
}


class IntersectorAPI(NinjaAPI):
    """NinjaAPI whose every answer, including unknown addresses and wrong methods, is JSON."""

    def _get_urls(self):
        urls = [url for url in super()._get_urls() if url.name != "api-root"]
        for url in urls:
            url.callback = errors.json_method_not_allowed(url.callback)
        # The root keeps its name: django-ninja reverses it to build the OpenAPI paths.
        urls.append(path("", self.root, name="api-root"))
        urls.append(re_path(r"^.*$", errors.not_found, name="api-not-found"))
        return urls

    def get_openapi_schema(self, **kwargs):
        """Answers every operation may give besides its own: 400 for text with control
        characters or only invisible ones, refused before any route runs (intersector/inputs.py),
        and 429 where a token is read and too many wrong ones came from the caller's address."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("400", REFUSED_TEXT)
                if operation.get("security"):  # too many wrong tokens (intersector/api/auth.py)
                    responses.setdefault("429", TOO_MANY_TOKENS)
        return schema

    def root(self, request, **kwargs):
        return JsonResponse({
            "title": self.title,
            "version": self.version,
            "detail": _("Intersector's API. Every address is described at openapi_url."),
            "openapi_url": request.path + self.openapi_url.lstrip("/"),
            "docs_url": request.path + self.docs_url.lstrip("/"),
        })


api = IntersectorAPI(
    title="Intersector API",
    version="1",
    description=(
        "Read and change what you can see on Intersector from your own scripts. "
        "Send an API token (create one at /accounts/tokens/) as `Authorization: Bearer <token>`. "
        "The site's own pages use the signed-in session instead. "
        "Errors are JSON with a `detail` message."
    ),
    auth=default_auth,
    docs=BundledSwagger(),
)
errors.install(api)

api.add_router("", me.router)
api.add_router("", jobs.router)
api.add_router("", "intersector.api.routers.library.router")
api.add_router("", "intersector.api.routers.agreements.router")
api.add_router("", "intersector.api.routers.collaborate.router")
api.add_router("", "intersector.api.routers.collaborate_results.router")
api.add_router("", "intersector.api.routers.collaborate_network.router")
api.add_router("", "intersector.api.routers.collaborate_network_survey.router")
