"""Settings shared by the fuzz tests: bounded, the same examples on every run (CI repeatability),
no example database written into the project."""

import os
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

# FUZZ_EXAMPLES raises the number of examples for a longer run on a developer's machine.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


def bounded(examples=EXAMPLES):
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None, print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                               HealthCheck.data_too_large],
    )


def run_each(runs):
    """Run every (label, hypothesis test) and return the failures, so one failing form or route
    does not hide the others."""
    from hypothesis.errors import Unsatisfiable

    failures = []
    for label, run in runs:
        try:
            run()
        except Unsatisfiable:
            continue  # e.g. no invalid request exists for a route without parameters
        except (Exception, BaseExceptionGroup) as exc:  # noqa: B036 - schemathesis raises groups
            failures.append(f"{label}:\n{described(exc)}")
    return failures


def described(exc, depth=0):
    """The failure's message and notes (the failing example), and those of each one in a group."""
    lines = [str(exc)] + list(getattr(exc, "__notes__", []))
    if isinstance(exc, BaseExceptionGroup) and depth < 2:
        lines += [described(inner, depth + 1) for inner in exc.exceptions]
    return "\n".join(line for line in lines if line).replace("\x00", "\\x00")


@contextmanager
def same_connection_for_requests():
    """Django closes a connection in a transaction at the end of each request; the test client
    turns that off, and a WSGI app called in this thread (schemathesis) needs the same."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
