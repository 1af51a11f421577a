from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Publish/subscribe seam for live updates over Server-Sent Events."""

    name = "intersector.live"
    label = "live"
