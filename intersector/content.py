"""Registry of starter-content loaders.

Each app that ships starter content (toolkit, scorecard, cases...) registers a loader that reads
its YAML files under content/ and creates what is missing. Loaders must be idempotent: running
`manage.py load_content` twice creates nothing the second time and never overwrites edits.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from django.conf import settings

CONTENT_DIR = Path(getattr(settings, "CONTENT_DIR", settings.BASE_DIR / "content"))


@dataclass(frozen=True)
class Loader:
    name: str
    load: Callable[[Path], str]  # takes the content folder, returns a one-line summary
    order: int = 100


_loaders: dict[str, Loader] = {}


def register(name: str, order: int = 100):
    """Decorator: register `func(content_dir) -> summary` as the loader called `name`."""

    def decorator(func):
        _loaders[name] = Loader(name=name, load=func, order=order)
        return func

    return decorator


def loaders():
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))
