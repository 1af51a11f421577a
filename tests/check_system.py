"""Say clearly, before the suite runs, which system tools are missing and what that skips."""

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing_tools():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM}): browser tests will be skipped")
    if not (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists():
        missing.append("axe-core (npm): accessibility checks will be skipped")
    if not shutil.which("pdftoppm"):
        missing.append("poppler-utils (pdftoppm): PDF page checks will be skipped")
    if not shutil.which("tesseract"):
        missing.append("tesseract-ocr (with -eng, -spa): the scanned-PDF reading test will be skipped")
    if os.environ.get("DATABASE_URL", "").startswith("postgres") and not shutil.which("pg_dump"):
        missing.append("postgresql-client (pg_dump): backup tests on PostgreSQL will be skipped")
    return missing


if __name__ == "__main__":
    missing = missing_tools()
    if missing:
        print("Missing system tools (install them with `make system-deps`):")
        for item in missing:
            print(f"  - {item}")
        if os.environ.get("CI") == "true":
            print("CI=true: nothing may be skipped, so this is an error.")
            sys.exit(1)
