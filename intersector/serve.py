"""Serve the site: uvicorn for pages and live streams, plus one background-task worker.

`python -m intersector.serve` (what `make run` calls). HOST and PORT may override the address.
The worker stops when the server stops. bench/bench_soak.py starts the same two commands.
"""

import os
import signal
import subprocess
import sys


def uvicorn_command(host, port):
    """The start of every uvicorn command line: `make run`, the tests' servers, the deploy guide.

    `--no-proxy-headers`: uvicorn would otherwise take the client's address (and scheme) from
    X-Forwarded-For for any connection from 127.0.0.1, so anyone on the host, or a proxy that
    passes the header on, could pick their own address. One place decides instead: the site
    reads X-Forwarded-For only when TRUSTED_PROXIES says proxies stand in front
    (intersector.limits.client_address), and X-Forwarded-Proto with SECURE_PROXY_SSL_HEADER.
    """
    return [
        sys.executable, "-m", "uvicorn", "intersector.asgi:application",
        "--host", host, "--port", str(port), "--no-proxy-headers",
    ]


def server_command(host, port):
    """The whole command line the site's server runs with (`make run`, bench/bench_soak.py)."""
    return uvicorn_command(host, port) + ["--timeout-graceful-shutdown", "5", "--lifespan", "off"]


def worker_command():
    """The background-task worker's command line (run from the project folder)."""
    return [sys.executable, "manage.py", "db_worker", "--interval", "1"]


def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    worker = subprocess.Popen(worker_command())
    print(f"\nIntersector is running at http://{host}:{port}/  (press Ctrl+C to stop)\n", flush=True)
    try:
        server = subprocess.run(server_command(host, port))
        code = server.returncode
    except KeyboardInterrupt:
        code = 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
    sys.exit(code)


if __name__ == "__main__":
    main()
