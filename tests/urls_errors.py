"""The site's URLs plus one view that fails, to see what a visitor gets from a server error."""

from django.urls import path

from intersector.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken_view(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("test-broken/", broken_view)] + urlpatterns
