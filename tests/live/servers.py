"""Start real uvicorn processes with the probe settings (tests/live and bench/bench_live.py).

Loopback only, a free port each, readiness by polling /probe/ping, and bounded waits
everywhere. The environment is built from scratch so that a developer's .env or shell cannot
change what the servers do.
"""

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from intersector.serve import uvicorn_command

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
PROBE_DATABASE = VAR / "test-live-probe.sqlite3"
HOST = "127.0.0.1"
MEMORY_BACKEND = "intersector.live.backends.memory.MemoryBackend"
REDIS_BACKEND = "intersector.live.backends.redis.RedisBackend"
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_env(**settings):
    """The environment for a probe server; keyword arguments become settings variables."""
    secret = os.environ.get("SECRET_KEY", "")
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.live.probe_settings",
        INTERSECTOR_ENV_FILE=os.devnull,  # not the developer's .env
        SECRET_KEY=secret if len(secret) >= 32 else "test-live-" + secrets.token_urlsafe(32),
        DATABASE_URL=f"sqlite:///{PROBE_DATABASE}",  # probe views store nothing
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        SECURE_COOKIES="false",
        LIVE_BACKEND=MEMORY_BACKEND,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({name: str(value) for name, value in settings.items()})
    return env


class Server:
    """One uvicorn process serving the probe URLconf."""

    def __init__(self, name, env):
        self.name = name
        self.env = env
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = VAR / f"live-server-{name}.log"
        self.process = None

    def launch(self):
        VAR.mkdir(exist_ok=True)
        log = open(self.log_path, "wb")  # a file, not a pipe: a full pipe would stall the server
        self.process = subprocess.Popen(
            # The command line `make run` uses (intersector/serve.py), plus quiet logs.
            uvicorn_command(HOST, self.port)
            + ["--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "1"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn {self.name} exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/probe/ping", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"uvicorn {self.name} not ready after {timeout} s:\n{self.log_tail()}")

    def start(self, timeout=30):
        return self.launch().wait_ready(timeout)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def rss_mib(self):
        """Resident memory of the server process, from /proc (Linux)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def start_servers(*servers, timeout=30):
    """Launch several servers at once (they start in parallel), then wait for each."""
    for server in servers:
        server.launch()
    try:
        for server in servers:
            server.wait_ready(timeout)
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers
