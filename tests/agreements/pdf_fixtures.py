"""PDFs made here from our own text, shaped like the real ones that broke the review.

`letters_pdf` writes every letter on its own, at its own place, and no space characters: the
way macOS's Quartz writes PDFs (a real MOU made so read "MemorandumofUnderstanding…" through
pypdf). `scanned_pdf` renders real text with WeasyPrint, turns each page into a picture with
poppler's pdftoppm, and wraps the pictures back into a PDF with no text at all: a scan.
"""

import io
import subprocess
import tempfile
from pathlib import Path

COURIER_ADVANCE = 0.6   # every Courier glyph is 600/1000 of the font size wide


def letters_pdf(lines_per_page, size=11):
    """A PDF whose pages show `lines_per_page` ([[line, ...], ...]); one glyph per text object."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    pages_id = len(objects) + 1 + 2 * len(lines_per_page)
    kids = []
    for lines in lines_per_page:
        ops = []
        for row, line in enumerate(lines):
            # Quartz's way: a flipped page (y grows downwards) and a flipped font matrix.
            y = 60 + row * size * 1.5
            for column, char in enumerate(line):
                if char == " ":
                    continue  # the gap is the space: no space glyph is written
                x = 50 + column * size * COURIER_ADVANCE
                code = char.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                ops.append(b"q 1 0 0 -1 0 842 cm BT %d 0 0 -%d %.2f %.2f Tm /F1 1 Tf (%s) Tj ET Q"
                           % (size, size, x, y, code))
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def wrap(text, width=70):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def text_pdf(paragraphs, font_size=12):
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(string=f"<html><body style='font: {font_size}pt DejaVu Sans'>{body}</body></html>").write_pdf()


def scanned_pdf(pdf, dpi=200):
    """Every page of `pdf` as a greyscale picture (pdftoppm), wrapped in a PDF without text."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), f"{folder}/page"],
                       check=True, timeout=120)
        pictures = [Image.open(path).convert("L") for path in sorted(Path(folder).glob("page*.png"))]
        out = io.BytesIO()
        pictures[0].save(out, format="PDF", save_all=True, append_images=pictures[1:], resolution=float(dpi))
    return out.getvalue()
