"""Test-only URLconf: the whole site plus /probe/ URLs that publish, stream and poll."""

from django.urls import path

from intersector.urls import handler400, handler403, handler404, handler500  # noqa: F401
from intersector.urls import urlpatterns as site_urlpatterns
from tests.live import probe_views

urlpatterns = [
    path("probe/ping", probe_views.ping),
    path("probe/<str:topic>/publish", probe_views.publish),
    path("probe/<str:topic>/stream", probe_views.stream),
    path("probe/<str:topic>/broken-stream", probe_views.broken_stream),
    path("probe/<str:topic>/poll", probe_views.poll),
    path("probe/<str:topic>/subscribers", probe_views.subscribers),
    path("probe/<str:topic>/page", probe_views.page),
    path("probe/body-digest", probe_views.body_digest),
    path("probe/lines/<int:count>", probe_views.numbered_lines),
    path("probe/breaks-while-streaming", probe_views.breaks_while_streaming),
    *site_urlpatterns,
]
