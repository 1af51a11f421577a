"""Run every benchmark in bench/ (files named bench_*.py, but the long soak) one after another;
each prints figures.

`make bench`. Arguments after `--` go to every benchmark. Figures are for comparing ratios
within one run on this machine, not absolute promises: the machine's noise is in them.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LONG = {"bench_soak.py"}  # twenty minutes and more: run by hand (see README.md)


def main():
    failures = 0
    for script in sorted(p for p in HERE.glob("bench_*.py") if p.name not in LONG):
        print(f"\n=== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent)
        failures += result.returncode != 0
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
