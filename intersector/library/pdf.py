"""The whole toolkit as one PDF (WeasyPrint), from the same content as the print page.

Rendering takes a few seconds, so a background job makes it and keeps the file under
MEDIA_ROOT/library/; each version of the toolkit gets its own file name, so an edit in the
content admin means a fresh PDF on the next request.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import translation

from intersector.library.models import Stage, Tool


def _signature():
    tools = Tool.objects.filter(live=True).aggregate(n=Count("pk"), last=Max("updated"))
    stages = Stage.objects.filter(live=True).aggregate(n=Count("pk"), last=Max("updated"))
    return f"{tools['n']}:{tools['last']}:{stages['n']}:{stages['last']}"


def pdf_path(language=None):
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha1(f"{_signature()}:{language}".encode()).hexdigest()[:16]
    return Path(settings.MEDIA_ROOT) / "library" / f"toolkit-{language}-{digest}.pdf"


def render_toolkit_pdf():
    from weasyprint import HTML

    from intersector.library.views import toolkit_print_context

    html = render_to_string("library/toolkit_pdf.html", toolkit_print_context())
    return HTML(string=html).write_pdf()


def build(language=None):
    """Write the PDF of the current toolkit (if not there yet) and return its path."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = pdf_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(render_toolkit_pdf())
            partial.replace(path)  # readers never see a half-written file
            remove_older(path)
    return path


def remove_older(current):
    """Delete this language's PDFs of earlier toolkit versions: nobody can ask for them again."""
    language = current.name.split("-")[1]
    for old in current.parent.glob(f"toolkit-{language}-*.pdf"):
        if old != current:
            old.unlink(missing_ok=True)
