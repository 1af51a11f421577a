"""`python -m intersector.casepacks`: a facilitator checks a pack file without a site."""

import os
import subprocess
import sys

from intersector import casepacks
from tests.casepacks.conftest import ROOT, STARTER


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "intersector.casepacks", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


def test_check_says_ok_with_a_summary():
    done = run("check", str(STARTER))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: Moving the region")
    assert "15 roles (government 4, business 3, non-profit 8)" in done.stdout


def test_check_lists_the_problems_and_fails(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(STARTER.read_text().replace("sector: business", "sector: government"))
    done = run("check", str(bad))
    assert done.returncode == 1
    assert "no role is in the sector 'business'" in done.stderr
    assert run("check", str(tmp_path / "missing.yaml")).returncode == 2


def test_tensions_for_a_table_and_export(starter):
    done = run("tensions", str(STARTER), "6")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("Roles in play: city-convener, chamber")
    assert "partner-exit: transit-district wants" in done.stdout
    exported = run("export", str(STARTER))
    assert casepacks.load(exported.stdout) == starter
