"""A small thread that does one thing every few seconds: a running job's heartbeat, and the
worker's sweep for jobs whose worker died (see services.py, "Leases").

It runs beside the task, so it needs no help from the task's code, and it writes one short row
update per interval: no write storm however busy the task is.
"""

import logging
import threading

from django.db import connections

logger = logging.getLogger(__name__)


class Ticker:
    """Call `action()` every `seconds` until stopped, or until `action()` returns False.

    A failed call is logged and the next one is tried: a database that is briefly locked or
    unreachable must not end the heartbeat of a job that is still working.
    """

    def __init__(self, seconds, action, *, name, first_now=False):
        self.seconds = max(0.05, float(seconds))
        self.action = action
        self.first_now = first_now
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self, wait=5.0):
        """Stop ticking. A call under way may finish after this returns; actions are written so
        that a late one changes nothing (e.g. a heartbeat only touches a job still running)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=wait)

    def _run(self):
        try:
            if self.first_now and self._tick() is False:
                return
            while not self._stop.wait(self.seconds):
                if self._tick() is False:
                    return
        finally:
            # Threads get their own database connections; close them rather than leak them.
            connections.close_all()

    def _tick(self):
        try:
            return self.action()
        except Exception:
            logger.warning("%s failed; trying again in %s s", self._thread.name, self.seconds,
                           exc_info=True)
            return None
