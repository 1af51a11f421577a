import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])


@pytest.fixture
def run_worker():
    """Run the real database worker until the queue is empty."""

    def run():
        # The worker installs its own signal handlers; give pytest its Ctrl+C back afterwards.
        saved = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                verbosity=0,
            )
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", "owner@example.org")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("stranger", "stranger@example.org")


# --- Real worker processes --------------------------------------------------------------------

# A short lease for the tests that kill a worker: the worker (through its environment) and the
# pages (through settings) agree on it.
LEASE_SECONDS = 3
HEARTBEAT_SECONDS = 0.3


class WorkerProcess:
    """`manage.py db_worker` in its own process, as `make run` starts it, on the test database."""

    def __init__(self, name, database_url, **settings):
        from tests.live.servers import VAR, server_env

        self.name = name
        self.env = server_env(DJANGO_SETTINGS_MODULE="intersector.settings", DATABASE_URL=database_url,
                              STATIC_MANIFEST="false",
                              **settings)
        self.log_path = VAR / f"jobs-worker-{name}.log"
        self.process = None

    def start(self):
        from tests.live.servers import ROOT

        log = open(self.log_path, "wb")  # a file, not a pipe: a full pipe would stall the worker
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.1", "--worker-id", self.name],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def kill(self):
        """SIGKILL: the worker gets no chance to record anything, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@pytest.fixture
def short_lease(settings):
    settings.JOB_LEASE_SECONDS = LEASE_SECONDS
    settings.JOB_HEARTBEAT_SECONDS = HEARTBEAT_SECONDS


@pytest.fixture
def worker_process(short_lease):
    """Start real workers with the short lease; each is stopped after the test."""
    from django.db import connection

    from tests.workshops.phones import database_url

    started = []

    def start(name):
        worker = WorkerProcess(name, database_url(connection.settings_dict),
                               JOB_LEASE_SECONDS=LEASE_SECONDS, JOB_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, what, timeout=60, workers=()):
    """Poll until `condition()` is true; a bound for a slow machine, not a speed check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    logs = "\n".join(f"--- worker {w.name}:\n{w.log_tail()}" for w in workers)
    raise AssertionError(f"Gave up after {timeout} s waiting for {what}.\n{logs}")


def sleep_until(moment):
    """Sleep until a moment (an aware datetime) has passed."""
    from django.utils import timezone

    remaining = (moment - timezone.now()).total_seconds()
    if remaining > 0:
        time.sleep(remaining)
