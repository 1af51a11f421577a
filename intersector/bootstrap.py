"""Write a local .env on first run: a random secret key and settings for plain-HTTP localhost.

Runs before Django is imported (settings refuse to start without a secret key). An existing
.env is never changed, so sessions and signed links survive a restart.
"""

import secrets
import sys
from pathlib import Path

LOCAL_ENV = """\
# Written by `make run` for this machine. Keep it private; it is not committed.
SECRET_KEY={secret}
DEBUG=false
# The local server speaks plain HTTP, so cookies may not be limited to HTTPS here.
SECURE_COOKIES=false
ALLOWED_HOSTS=localhost,127.0.0.1,[::1]
"""


def ensure_env(path: Path) -> bool:
    if path.exists():
        return False
    path.write_text(LOCAL_ENV.format(secret=secrets.token_urlsafe(50)))
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    if ensure_env(target):
        print(f"Wrote {target} with a new random SECRET_KEY.")
