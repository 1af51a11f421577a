"""Serve the site: uvicorn for pages and live streams, plus one background-task worker.

`python -m intersector.serve` (what `make run` calls). HOST and PORT may override the address.
The worker stops when the server stops.
"""

import os
import signal
import subprocess
import sys


def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])
    print(f"\nIntersector is running at http://{host}:{port}/  (press Ctrl+C to stop)\n", flush=True)
    try:
        server = subprocess.run(
            [
                sys.executable, "-m", "uvicorn", "intersector.asgi:application",
                "--host", host, "--port", port, "--proxy-headers",
                "--timeout-graceful-shutdown", "5", "--lifespan", "off",
            ]
        )
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
