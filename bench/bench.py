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
sys.path.insert(0, str(ROOT))  # the loopback test deployment lives in tests/loopback
BIN = Path(sys.executable).parent
RUNS = 21
PROBES = 300
TIMEOUT = 180.0

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


def _seconds(argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """The wall time of one run; a run that fails stops the bench (a fast wrong answer is no answer)."""
    began = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        output = (done.stdout + done.stderr).decode(errors="replace").strip().splitlines()[-5:]
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n" + "\n".join(output))
    return seconds


def paired_medians(
    ours: Sequence[str],
    reference: Sequence[str],
    *,
    cwd: Path = ROOT,
    runs: int = RUNS,
    env: dict[str, str] | None = None,
) -> tuple[float, float]:
    """Medians of both commands, run alternately so that a busy moment of the machine
    weighs on both alike; one warm-up run each first."""
    _seconds(ours, cwd, env)
    _seconds(reference, cwd, env)
    ours_times, reference_times = [], []
    for _ in range(runs):
        ours_times.append(_seconds(ours, cwd, env))
        reference_times.append(_seconds(reference, cwd, env))
    return statistics.median(ours_times), statistics.median(reference_times)


@dataclass
class Comparison:
    name: str
    ours: float
    reference: float
    reference_name: str
    goal: float  # the highest acceptable ratio, or with `added`, the most seconds added
    added: bool = False

    @property
    def ratio(self) -> float:
        return self.ours / self.reference

    @property
    def met(self) -> bool:
        return (self.ours - self.reference if self.added else self.ratio) <= self.goal

    def line(self) -> str:
        verdict = "ok" if self.met else "MISSED"
        if self.added:
            unit = 1000 if self.goal < 0.01 else 1
            label = "ms" if unit == 1000 else "s"
            figure = (
                f"+{(self.ours - self.reference) * unit:.3f} {label} (goal <= +{self.goal * unit:g} {label})"
            )
        else:
            figure = f"ratio {self.ratio:4.2f} (goal <= {self.goal:g})"
        return (
            f"  {self.name:<28} {self.ours * 1000:9.3f} ms   {self.reference_name:<24} "
            f"{self.reference * 1000:9.3f} ms   {figure}  {verdict}"
        )


def raw_get_seconds(url: str, path: str, runs: int) -> list[float]:
    """GET over a kept-alive plain socket: the least any HTTP client can take."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    times = []
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(runs):
            began = time.perf_counter()
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(
                next(
                    line.split(b":", 1)[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
            )
            while len(body) < length:
                body += sock.recv(65536)
            times.append(time.perf_counter() - began)
    return times


def ping_comparisons() -> list[Comparison]:
    import json
    import shutil

    from cli.services.convex.deployment.http import Connection, Deadline
    from tests.loopback.client import TestDeployment
    from tests.support.project import schema_export

    out = []
    with TestDeployment() as deployment:
        deployment.set_schema(json.dumps(schema_export(ROOT)))
        connection = Connection(deployment.url, Deadline(120))
        ours = []
        for _ in range(PROBES):
            began = time.perf_counter()
            connection.request("GET", "/instance_name")
            ours.append(time.perf_counter() - began)
        connection.close()
        raw = raw_get_seconds(deployment.url, "/instance_name", PROBES)
        out.append(
            Comparison(
                "ping probe (per request)",
                statistics.median(ours),
                statistics.median(raw),
                "raw socket GET",
                0.001,
                added=True,
            )
        )
        curl = shutil.which("curl")
        if curl:
            ping, reference = paired_medians(
                [str(BIN / "app"), "convex", "ping", "--count", "1", "--url", deployment.url],
                [curl, "-s", "-o", "/dev/null", deployment.url + "/instance_name"],
            )
            out.append(
                Comparison(
                    "app convex ping --count 1", ping, reference, "curl /instance_name", 0.2, added=True
                )
            )
        else:
            print("  (curl is not installed: ping's wall time is not compared)")
    return out


LARGE_RUNS = 5  # each run takes seconds: fewer runs, still alternated


def large_schema_comparison() -> Comparison:
    """The check of a 500-table schema against what it cannot do without: tsc alone."""
    from tests.support.large_schema import large_schema
    from tests.support.project import copy_project

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        (project / "convex" / "schema.ts").write_text(large_schema(500, 50), encoding="utf-8")
        tsc = project / "node_modules" / ".bin" / "tsc"
        check = [str(BIN / "app"), "convex", "check", "--timeout", "120"]
        codegen = [str(BIN / "app"), "convex", "codegen", "--timeout", "120"]
        # Models of this schema, as its project would commit them; else the check fails on them.
        subprocess.run(codegen, cwd=project, capture_output=True, timeout=TIMEOUT, check=True)
        first = subprocess.run(
            check, cwd=project, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        if first.returncode != 0:  # a fast wrong answer is no answer
            raise SystemExit(f"the check of the large schema failed:\n{first.stdout}{first.stderr}")
        ours, reference = paired_medians(
            check,
            [str(tsc), "--noEmit", "-p", "convex"],
            cwd=project,
            runs=LARGE_RUNS,
        )
    return Comparison("check, 500 tables x 50 fields", ours, reference, "tsc --noEmit -p convex", 1.5)


def dev_preflight_comparison(app: str) -> Comparison:
    """What the wrapper adds before `convex dev` pushes, its preflight included (toolchain,
    target, the start's round of models, the check): one push with `--once` to the loopback
    deployment, through the wrapper and directly. Type-checking is the CLI's in both, so it
    is left out of both."""
    import secrets

    from tests.loopback.client import TestDeployment
    from tests.support.project import app_env, copy_project

    admin_key = f"loopback-bench|{secrets.token_hex(16)}"
    with TestDeployment() as deployment, tempfile.TemporaryDirectory() as tmp:
        deployment.set_info(admin_key=admin_key)
        project = copy_project(Path(tmp) / "project")
        env = app_env(
            CONVEX_SELF_HOSTED_URL=deployment.url,
            CONVEX_SELF_HOSTED_ADMIN_KEY=admin_key,
            HOME=str(Path(tmp) / "home"),
            CI="1",  # the CLI's error reporter stays off (it would look up a host we cannot reach)
        )
        wrapped, direct = paired_medians(
            [app, "convex", "dev", "--once", "--", "--typecheck", "disable"],
            [str(project / "node_modules" / ".bin" / "convex"), "dev", "--once", "--typecheck", "disable"],
            cwd=project,
            runs=LARGE_RUNS,
            env=env,
        )
    return Comparison("app convex dev --once", wrapped, direct, "convex dev --once", 0.5, added=True)


def main() -> int:
    import compileall

    # Steady state: byte-code compiled once, as a user's first run (or `make setup`) leaves it,
    # even where PYTHONDONTWRITEBYTECODE keeps each run from writing it.
    compileall.compile_dir(str(ROOT / "cli"), quiet=1)
    app = str(BIN / "app")
    comparisons = []

    check, npx = paired_medians([app, "convex", "check"], ["npx", "convex", "--version"])
    comparisons.append(Comparison("app convex check", check, npx, "npx convex --version", 0.5))

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_TYPER_APP, encoding="utf-8")
        ours, reference = paired_medians([app, "--help"], [sys.executable, str(bare), "--help"])
    comparisons.append(Comparison("app --help", ours, reference, "bare Typer app --help", 1.15))

    comparisons.extend(ping_comparisons())
    comparisons.append(large_schema_comparison())

    comparisons.append(dev_preflight_comparison(app))

    from bench.watch import SAVES, watch_rows

    measured = watch_rows(app)

    print(f"medians of {RUNS} alternating runs of each pair after a warm-up; {PROBES} probes each")
    for c in comparisons:
        print(c.line())
    print(f"watching: medians of {SAVES} saves, each toggling an optional field")
    for m in measured:
        print(m.line())
    return 0 if all(c.met for c in comparisons) and all(m.met for m in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
