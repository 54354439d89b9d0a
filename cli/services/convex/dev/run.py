"""Running the project's pinned `convex dev`: preflight, the child's lifetime, what it said.

The child owns the terminal while it runs (cli.shared.terminal); what it printed is
scanned for failures we can explain, and .env.local for a CONVEX_URL it wrote.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cli.services.config.env_files import read_env_file
from cli.services.config.settings import Settings
from cli.services.convex.check.run import CheckOptions, run_check
from cli.services.convex.deployment.target import Target, deployment_target
from cli.services.convex.dev.hints import explain
from cli.services.convex.dev.live import LiveModels, Round, Watching
from cli.services.convex.toolchain import require_toolchain
from cli.services.project import Project
from cli.shared.deadlines import SCHEMA_LOOP_GUARD
from cli.shared.report import CheckResult, Report
from cli.shared.terminal import Interjections, run_in_foreground
from cli.shared.watch import WatchError

READY_LINE = "Convex functions ready!"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


@dataclass(frozen=True)
class DevOptions:
    once: bool = False
    local: bool = False
    check: bool = True
    args: tuple[str, ...] = ()
    timeout: float | None = None  # stop the child after this long (None: never)
    guard: float = SCHEMA_LOOP_GUARD  # the preflight's evaluation of schema.ts: a loop ends there


@dataclass
class Preparation:
    root: Path
    argv: list[str]
    env: dict[str, str]
    target: Target
    live: LiveModels
    first: Round  # the start's round: findings, and the models brought up to date
    check: Report[None] | None = (
        None  # the preflight check's report (its seconds the preflight's), when it ran
    )

    @property
    def blocked(self) -> bool:
        return self.check is not None and self.check.exit_code != 0


@dataclass
class DevResult:
    exit_code: int
    failure: tuple[str, str] | None = None  # (what went wrong, what to do), if recognised
    url_change: tuple[str | None, str] | None = None  # CONVEX_URL in .env.local: (before, after)
    ready: bool = False
    warnings: tuple[str, ...] = ()  # said after the run, as `warning: ...` lines


def convex_cli(root: Path) -> list[str]:
    """The project's pinned CLI; never a download of another version."""
    local_bin = root / "node_modules" / ".bin" / "convex"
    if local_bin.exists():
        return [str(local_bin)]
    return ["npx", "--no-install", "convex"]


Steps = Callable[[str, str], None]  # (step, what it waits for now): "models" or "check"


class _CheckSteps:
    """The check's progress, told as the preflight's step `check`: what it waits for now (its
    results come with the report). With the round's evaluation handed over, the check's word
    that it evaluates the schema is not what runs, and is not passed on."""

    def __init__(self, tell: Steps, handed_over: bool) -> None:
        self.tell = tell
        self.handed_over = handed_over

    def working(self, name: str, doing: str) -> None:
        if not (self.handed_over and name == "schema"):
            self.tell("check", doing)

    def finished(self, result: CheckResult) -> None:
        pass


def prepare(
    project: Project, options: DevOptions, *, interactive: bool, steps: Steps | None = None
) -> Preparation:
    """Everything before the child starts; raises ToolchainError/ConfigError (exit 3).
    `steps` hears what the preflight waits for as it goes (a live display)."""
    began = time.monotonic()
    root = project.root
    tools = require_toolchain(project)
    target = deployment_target(Settings(root), local=options.local, interactive=interactive)
    env = dict(os.environ)
    if options.local:
        env["CONVEX_AGENT_MODE"] = "anonymous"  # the supported way; `convex dev --local` is deprecated
    argv = [*convex_cli(root), "dev", *(["--once"] if options.once else []), *options.args]
    # tsc is left out: convex dev type-checks convex/ itself
    check = CheckOptions(
        timeout=options.guard,
        typecheck=False,
        reuse_evaluation=True,
        why_no_typecheck="convex dev type-checks",
        node_version=tools.node_version,  # asked once: a cached export carries no node version
    )
    # The start's round first: it brings stale models up to date (said, not a reason to
    # refuse) and leaves its evaluation for the check to reuse: a success in the schema
    # cache, a failure (a loop stopped by the guard, a throw) handed over, so that a schema
    # that loops costs the guard once.
    live = LiveModels(project, tools.node, options.guard)  # a schema that loops is stopped
    try:
        first = live.first_round(None if steps is None else lambda doing: steps("models", doing))
        report = None
        if options.check:
            broken = first.broken
            progress = None if steps is None else _CheckSteps(steps, handed_over=broken is not None)
            report = run_check(project, check, progress, None if broken is None else lambda: broken)
            report = replace(report, seconds=time.monotonic() - began)  # what the preflight took
    except BaseException:
        live.close()
        raise
    return Preparation(root, argv, env, target, live, first, report)


def _env_local_url(root: Path) -> str | None:
    """CONVEX_URL in .env.local, for telling the user it changed (best effort)."""
    return (read_env_file(root / ".env.local") or {}).get("CONVEX_URL") or None


def _url_hidden(root: Path, written: str) -> tuple[str, ...]:
    """The warning that the URL just written to .env.local is not the one in force: the
    environment's CONVEX_URL comes first for ping and the client, and says nothing."""
    if not Settings(root).shadowed("CONVEX_URL", written):
        return ()
    return (
        "CONVEX_URL in the environment differs from the one convex dev wrote to .env.local, and wins "
        "over it: `app convex ping` and the app's client use the environment's. Unset it "
        "(`unset CONVEX_URL`) to use the one in .env.local.",
    )


def run(
    prep: Preparation,
    options: DevOptions,
    echo: Callable[[bytes], None],
    say: Callable[[Round | BaseException], bytes] | None = None,
) -> DevResult:
    """Run the child to its end, relaying its output to `echo`; never leaves it running.
    Unless --once, each settled change in the functions folder makes a round of the live
    models (or fails with an exception), which `say` turns into what is written between
    the child's lines."""
    before = _env_local_url(prep.root)
    said = Interjections()
    watching: Watching | None = None
    if say is not None and not options.once:
        try:
            watching = Watching(prep.live, lambda done: said.post(say(done)), lambda e: said.post(say(e)))
            watching.start()
            prep.live.warm_up()  # esbuild loaded by the first save, while the CLI starts
        except WatchError as error:  # convex dev runs all the same; saves are not followed
            said.post(say(error))
    try:
        relayed = run_in_foreground(
            prep.argv, cwd=prep.root, env=prep.env, echo=echo, timeout=options.timeout, interjections=said
        )
    finally:
        if watching is not None:
            watching.stop()
        prep.live.close()
        said.close()
    code = relayed.returncode
    exit_code = 128 - code if code < 0 else code  # a signal's number, as shells report it
    text = ANSI.sub("", relayed.tail.decode("utf-8", errors="replace"))
    result = DevResult(exit_code, ready=READY_LINE in text)
    after = _env_local_url(prep.root)
    if after is not None and after != before:
        result.url_change = (before, after)
        result.warnings += _url_hidden(prep.root, after)
    result.failure = _explain(text, result, prep.target)
    if options.once and exit_code == 0 and not result.ready and not _asked_for_help(options.args):
        # convex dev --once exits 0 even when the push failed (e.g. a 401 from the deployment)
        result.exit_code = 1
        result.failure = result.failure or (
            f"convex dev --once exited 0 without reporting {READY_LINE!r}: the push did not complete",
            "Read the output above for the cause; `npx convex dev --once` treats some push errors "
            "as success.",
        )
    if relayed.timed_out:
        result.exit_code = 4
        result.failure = (
            f"convex dev did not finish within {options.timeout:g} s and was stopped",
            "Check that the deployment answers (`app convex ping`), or raise --timeout.",
        )
    return result


HELP_OR_VERSION = ("-h", "--help", "-V", "--version")


def _asked_for_help(args: Sequence[str]) -> bool:
    return any(arg in HELP_OR_VERSION for arg in args)


def asks_only_for_help(args: Sequence[str]) -> bool:
    """Arguments that only ask convex dev for its help or version: no preflight is needed."""
    return bool(args) and all(arg in HELP_OR_VERSION for arg in args)


def pass_through(project: Project, args: Sequence[str], echo: Callable[[bytes], None]) -> int:
    """Run the pinned `convex dev ARGS` as it is; its exit code."""
    argv = [*convex_cli(project.root), "dev", *args]
    relayed = run_in_foreground(argv, cwd=project.root, env=os.environ, echo=echo, timeout=60)
    return 128 - relayed.returncode if relayed.returncode < 0 else relayed.returncode


def _explain(text: str, result: DevResult, target: Target) -> tuple[str, str] | None:
    if result.exit_code == 0 and result.ready:
        return None
    return explain(text, target)
