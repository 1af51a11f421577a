from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from intersector import views
from intersector.api.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/tokens/", include("intersector.api.token_urls")),
    path("accounts/", include("intersector.accounts.urls")),
    path("jobs/", include("intersector.jobs.urls")),
    path("api/", api.urls),
    # Each part owns its addresses (Learn: /learn/, /toolkit/, /cases/...; Convene: /convene/,
    # /w/<code>/...; Agree: /agree/, /agreements/...; Collaborate: /collaborate/), so they are
    # included at the root.
    path("", include("intersector.library.urls")),
    path("", include("intersector.workshops.urls")),
    path("", include("intersector.agreements.urls")),
    path("", include("intersector.casepacks.urls")),
    path("", include("intersector.collaboratives.urls")),
    # Wagtail's snippet chooser answers an id that is not a number with a 500 (it catches only
    # "no such object"); every snippet here has a numeric id, so anything else is not found.
    re_path(r"^cms/snippets/choose/[^/]+/[^/]+/chosen/(?![0-9]+/$)[^/]*/$", views.no_such_snippet),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves editorial pages for any path not matched above (and our 404 otherwise).
urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "intersector.views.bad_request"
handler403 = "intersector.views.permission_denied"
handler404 = "intersector.views.page_not_found"
handler500 = "intersector.views.server_error"
