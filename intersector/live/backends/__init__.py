"""The configured live backend (settings.LIVE_BACKEND), one per process."""

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

_lock = threading.Lock()
_backend = None


def get_backend():
    global _backend
    with _lock:
        if _backend is None:
            _backend = import_string(settings.LIVE_BACKEND)()
        return _backend


def _forget_backend(*, setting, **kwargs):
    """Tests that change the live settings get a backend built from the new ones."""
    global _backend
    if setting.startswith("LIVE_") or setting == "REDIS_URL":
        with _lock:
            _backend = None


setting_changed.connect(_forget_backend)
