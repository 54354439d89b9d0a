"""`make bench`: wall-time medians of the app against the references its issues name.

Each command runs a few times after one warm-up run; medians are compared as ratios.
Run from the project root after `make setup`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = 9
TIMEOUT = 60.0

BARE_TYPER_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""


@app.command()
def goodbye(name: str) -> None:
    """Say goodbye."""


app()
'''


def median_seconds(argv: Sequence[str], *, cwd: Path = ROOT, runs: int = RUNS) -> float:
    subprocess.run(argv, cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False)  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


@dataclass
class Comparison:
    name: str
    ours: float
    reference: float
    reference_name: str
    goal: float  # the highest acceptable ratio

    @property
    def ratio(self) -> float:
        return self.ours / self.reference

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal


def main() -> int:
    app = str(BIN / "app")
    comparisons = []

    check = median_seconds([app, "convex", "check"])
    npx = median_seconds(["npx", "convex", "--version"])
    comparisons.append(Comparison("app convex check", check, npx, "npx convex --version", 0.5))

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_TYPER_APP, encoding="utf-8")
        ours = median_seconds([app, "--help"])
        reference = median_seconds([sys.executable, str(bare), "--help"])
    comparisons.append(Comparison("app --help", ours, reference, "bare Typer app --help", 1.15))

    print(f"medians of {RUNS} runs each (after one warm-up)")
    for c in comparisons:
        verdict = "ok" if c.met else "MISSED"
        print(
            f"  {c.name:<22} {c.ours:6.3f} s   {c.reference_name:<24} {c.reference:6.3f} s"
            f"   ratio {c.ratio:4.2f} (goal <= {c.goal:g})  {verdict}"
        )
    return 0 if all(c.met for c in comparisons) else 1


if __name__ == "__main__":
    sys.exit(main())
