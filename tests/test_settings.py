"""The settings refuse to start a server with unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    environment.update(INTERSECTOR_ENV_FILE="", DJANGO_SETTINGS_MODULE="intersector.settings")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


def test_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_a_short_secret_key():
    result = load_settings(SECRET_KEY="short")
    assert result.returncode != 0
    assert "too short" in result.stderr


def test_refuses_debug_with_public_hosts():
    result = load_settings(SECRET_KEY="x" * 50, DEBUG="true", ALLOWED_HOSTS="intersector.example.org")
    assert result.returncode != 0
    assert "DEBUG is on while ALLOWED_HOSTS names public hosts" in result.stderr


def test_starts_with_complete_settings():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="intersector.example.org")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
