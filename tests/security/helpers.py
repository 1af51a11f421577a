"""Sending a request and noting a server error instead of stopping at the first one."""

from django.db import transaction

from intersector.inputs import field_label

CONTROL_CHARACTERS = ["\x00", "\x1b", "\x7f", "\x9b", "\x08", "\x0b", "\x1f", "\x85"]
INVISIBLE_ONLY = "\u200b\u202e\u2066\ufeff"


def bad_text(i):
    """Text with one control character in it (a different one for each i)."""
    return f"Clean{CONTROL_CHARACTERS[i % len(CONTROL_CHARACTERS)]}air"


def send(client, method, url, problems, **options):
    """The response, or None after noting a server error in `problems`.

    Each request runs in a savepoint, so a database error in one cannot spoil the next."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, **options)
    except Exception as exc:  # the test client re-raises what a view raised: that is a 500
        problems.append(f"{method.upper()} {url!r}: {type(exc).__name__}: {str(exc)[:200]}")
        return None
    if getattr(response, "streaming", False):
        response.close()
    if response.status_code >= 500:
        problems.append(f"{method.upper()} {url!r}: {response.status_code}")
        return None
    return response


def text_of(response):
    if getattr(response, "streaming", False):
        return ""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return str(response.json().get("detail", response.json()))
        except (ValueError, AttributeError):
            pass
    return response.content.decode("utf-8", errors="replace")


def says_field(response, name, invisible=False):
    """The refusal names the field in plain words and says what is wrong."""
    body = text_of(response)
    what = "contains only invisible characters" if invisible else "contains a character that"
    return f"The field “{field_label(name)}” {what}" in body


def expect_refusal(response, url, problems, check, detail):
    if response is None:
        return
    if response.status_code != 400 or not check(response):
        problems.append(f"{url!r}: {response.status_code}, not the 400 {detail}: {text_of(response)[:160]!r}")
