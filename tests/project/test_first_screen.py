"""The README's first screen, followed command by command, gets what it shows.

The first screen is everything in README.md before the line ``<!-- end of the first screen -->``.
Its fenced code blocks tagged ``console`` are one shell session, run in the project root:

- a line starting ``$ `` is a command; the lines after it, up to the next ``$ `` line or the end
  of the block, are what it prints: a subset of its output (stdout and stderr together), in
  order, other lines allowed between them; blank lines there are layout and are not compared;
- an expected line matches an output line (ANSI codes stripped, trailing spaces ignored) when
  it is the same text, except that any number in it (``0.84``, ``3210``, ``1.48.0``) matches any
  number, and ``…`` matches any text within the line;
- ``export NAME=value``, ``source .venv/bin/activate``, ``cd`` change the environment (and the
  folder) of the commands after them: each command runs in bash, which hands back its
  environment when it ends;
- a command ending in `` &`` runs in the background until the test ends (then SIGTERM to its
  process group, SIGKILL after 10 s); its expected lines are awaited in its output before the
  next command starts;
- every other command must exit 0 within its deadline (its process group is killed after it);
- ``make test`` is never run: in ``make test`` that would be the suite inside itself, and CI
  runs it on its own.

The loopback deployment stands in for the cloud: ``make loopback`` (or ``python -m
tests.loopback serve``) is started on a free port instead of 3210, and ``127.0.0.1:3210`` in
later commands is rewritten to it (a developer's own deployment may hold 3210; the output's
numbers match any number anyway). Where the Makefile has no ``loopback`` target yet, the
command it would run is run instead.

Two modes:
- in ``make test``: a copy of the repository's tracked files as they are in the working tree
  (uncommitted README edits count), with ``.venv`` and ``node_modules`` linked to the checkout's.
  The copies keep their modification times, so the Makefile's stamps (``.venv/.installed``,
  ``node_modules/.installed``, reached through the links) stay newer than ``pyproject.toml``
  and ``package*.json`` and ``make check`` installs nothing. Should the checkout's stamps be
  stale (``make -q`` says so), ``make`` is run with ``-o`` on both stamps rather than letting
  it reinstall: ``pip install -e`` from the copy would repoint the shared venv at a folder
  about to be deleted.
- full (``FIRST_SCREEN_FRESH=1``, ``make first-screen``): a real ``git clone`` of HEAD, every
  command run for real, ``make check`` creating a fresh venv and running ``npm ci`` (network).

Commands run with a temporary HOME (pip's and npm's caches kept where they were), no
``CONVEX_*``, ``CI`` or ``VIRTUAL_ENV`` from outside, no venv on ``PATH``, ``COLUMNS=80``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cli.shared.process import end_group, signal_group
from tests.loopback.real_clients import closed_port_url
from tests.support.project import REPO, descendants, end_processes_mentioning, left_running, outliving

END_OF_FIRST_SCREEN = "<!-- end of the first screen -->"
FRESH = os.environ.get("FIRST_SCREEN_FRESH") == "1"
COLUMNS = "80"
README_PORT = 3210
STAMPS = (".venv/.installed", "node_modules/.installed")
# Deadlines, in seconds: installing takes minutes on a fresh clone, pushing with the real CLI
# seconds; a background command must show its expected lines within BACKGROUND_READY.
INSTALL_DEADLINE = 1200.0 if FRESH else 300.0
DEV_DEADLINE = 300.0
COMMAND_DEADLINE = 120.0
BACKGROUND_READY = 60.0
STOP_GRACE = 10.0

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)")


# -- the README's format ---------------------------------------------------------------


class ReadmeFormatError(ValueError):
    """The first screen is not in the format this test follows."""


@dataclass(frozen=True)
class Step:
    """One ``$ `` command of the first screen and the lines it is shown printing."""

    command: str
    expected: tuple[str, ...]
    line: int  # of the command in README.md, 1-based

    @property
    def background(self) -> bool:
        return self.command.endswith(" &")

    @property
    def shell_command(self) -> str:
        return self.command.removesuffix(" &").rstrip() if self.background else self.command


def first_screen(readme: str) -> list[Step]:
    """The steps of the README's first screen (see the module docstring for the format)."""
    lines = readme.splitlines()
    try:
        end = lines.index(END_OF_FIRST_SCREEN)
    except ValueError:
        raise ReadmeFormatError(f"README.md has no line {END_OF_FIRST_SCREEN!r}") from None
    steps: list[Step] = []
    fence: tuple[str, str] | None = None  # (indentation, fence) of the open console block
    other_fence: str | None = None  # an open block of another language
    command: tuple[str, int] | None = None
    expected: list[str] = []

    def close_step() -> None:
        nonlocal command
        if command is not None:
            steps.append(Step(command[0], tuple(expected), command[1]))
        command = None
        expected.clear()

    for number, line in enumerate(lines[:end], start=1):
        if other_fence is not None:
            if closes(line, other_fence):
                other_fence = None
            continue
        if fence is None:
            opened = FENCE.match(line)
            if opened:
                if opened.group(3) == "console":
                    fence = (opened.group(1), opened.group(2))
                else:
                    other_fence = opened.group(2)
            continue
        indent, marker = fence
        text = line.removeprefix(indent)
        stripped = text.strip()
        if closes(line, marker):
            close_step()
            fence = None
            continue
        if text.startswith("$ "):
            close_step()
            command = (text[2:].strip(), number)
            if not command[0]:
                raise ReadmeFormatError(f"README.md line {number}: `$ ` with no command")
        elif command is None:
            if stripped:
                raise ReadmeFormatError(
                    f"README.md line {number}: output before any `$ ` command in a console block: {text!r}"
                )
        elif stripped:
            expected.append(text.rstrip())
    if fence is not None:
        raise ReadmeFormatError("README.md: a console block of the first screen is not closed before its end")
    return steps


def closes(line: str, marker: str) -> bool:
    """Whether `line` closes a block opened by `marker` (the same character, as many or more)."""
    stripped = line.strip()
    return stripped.startswith(marker) and not stripped.strip(marker[0])


def plain(output: str) -> list[str]:
    """Output as a terminal shows it: ANSI codes stripped, each line what follows its last
    carriage return, trailing spaces dropped."""
    text = ANSI.sub("", output)
    return (
        [line.rstrip("\r").rsplit("\r", 1)[-1].rstrip() for line in text.removesuffix("\n").split("\n")]
        if text
        else []
    )


def line_pattern(expected: str) -> re.Pattern[str]:
    """An expected line as a pattern: numbers match any number, `…` any text within a line."""
    parts: list[str] = []
    for piece in re.split(r"(…|\d+(?:[.,]\d+)*)", expected.rstrip()):
        if piece == "…":
            parts.append(".*")
        elif NUMBER.fullmatch(piece):
            parts.append(NUMBER.pattern)
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def unmatched(expected: tuple[str, ...], actual: list[str]) -> int | None:
    """The index of the first expected line not found in `actual` after the ones before it
    (each taken at its first match, which leaves the most room for the rest), or None."""
    position = 0
    for index, line in enumerate(expected):
        pattern = line_pattern(line)
        while position < len(actual) and not pattern.fullmatch(actual[position]):
            position += 1
        if position == len(actual):
            return index
        position += 1
    return None


def mismatch_report(step: Step, actual: list[str], missing: int, note: str = "") -> str:
    shown = [
        f"  {'✓' if i < missing else '✗' if i == missing else ' '} {line}"
        for i, line in enumerate(step.expected)
    ]
    return "\n".join(
        [
            f"README.md line {step.line}: `$ {step.command}` did not print what the README shows{note}.",
            "expected, in order (✓ found, ✗ not found after the lines before it):",
            *shown,
            "actual output:",
            *(f"  | {line}" for line in actual),
        ]
    )


# -- running it ------------------------------------------------------------------------


@dataclass
class Session:
    """The shell session the first screen runs in: its folder, its environment, its
    background jobs."""

    root: Path
    env: dict[str, str]
    port: int
    scratch: Path
    make_flags: list[str] = field(default_factory=list)
    cwd: Path | None = None
    jobs: list[tuple[Step, subprocess.Popen[bytes], Path]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # commands run, for failure messages

    def __post_init__(self) -> None:
        self.cwd = self.root

    # -- rewriting commands -----------------------------------------------------------

    def has_make_target(self, target: str) -> bool:
        makefile = self.root / "Makefile"
        text = makefile.read_text(encoding="utf-8") if makefile.exists() else ""
        return re.search(rf"^{re.escape(target)}\s*:", text, re.MULTILINE) is not None

    def rewrite(self, command: str) -> str:
        """The command as run here: the loopback deployment on this session's port, make
        without reinstalling into the shared venv (see the module docstring)."""
        command = re.sub(rf"\b(127\.0\.0\.1|localhost):{README_PORT}\b", rf"\g<1>:{self.port}", command)
        words = command.split()
        if words[:2] == ["make", "loopback"]:  # (starts_loopback)
            if not self.has_make_target("loopback"):
                return f".venv/bin/python -m tests.loopback serve --port {self.port}"
            command = re.sub(r"\s*\bLOOPBACK_PORT=\S+", "", command) + f" LOOPBACK_PORT={self.port}"
        elif re.search(r"-m tests\.loopback serve\b", command):
            command = re.sub(r"\s*--port[= ]\S+", "", command) + f" --port {self.port}"
        if words[:1] == ["make"] and self.make_flags:
            command = "make " + " ".join(self.make_flags) + command[len("make") :]
        return command

    @staticmethod
    def deadline(command: str) -> float:
        words = command.split()
        if words[:1] == ["make"] and any(w in ("check", "setup") for w in words[1:]):
            return INSTALL_DEADLINE
        if "dev" in words:
            return DEV_DEADLINE
        return COMMAND_DEADLINE

    # -- one step ---------------------------------------------------------------------

    def run(self, step: Step, deadline: float | None = None) -> None:
        self.seen.append(step.command)
        command = self.rewrite(step.shell_command)
        limit = deadline if deadline is not None else self.deadline(step.shell_command)
        if step.background:
            self.start_background(step, command, limit)
        else:
            self.run_foreground(step, command, limit)

    def run_foreground(self, step: Step, command: str, limit: float) -> None:
        env_out, pwd_out = self.scratch / "env", self.scratch / "pwd"
        script = (
            f"{command}\n"
            f"__first_screen_rc=$?; env -0 > {shlex.quote(str(env_out))}; "
            f"pwd > {shlex.quote(str(pwd_out))}; exit $__first_screen_rc\n"
        )
        env_out.unlink(missing_ok=True)
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            raw, _ = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            signal_group(process.pid, signal.SIGKILL)
            raw, _ = process.communicate(timeout=STOP_GRACE)
            actual = plain(raw.decode(errors="replace"))
            raise AssertionError(
                mismatch_report(step, actual, 0, f" within its deadline of {limit:.0f} s")
            ) from None
        finally:
            signal_group(process.pid, signal.SIGKILL)  # whatever it left in its group
        actual = plain(raw.decode(errors="replace"))
        if process.returncode != 0:
            raise AssertionError(mismatch_report(step, actual, 0, f": it exited {process.returncode}"))
        missing = unmatched(step.expected, actual)
        if missing is not None:
            raise AssertionError(mismatch_report(step, actual, missing))
        if env_out.exists():
            values = env_out.read_bytes().split(b"\0")
            env = dict(v.decode(errors="surrogateescape").partition("=")[::2] for v in values if b"=" in v)
            for transient in ("_", "SHLVL", "PWD", "OLDPWD", "__first_screen_rc"):
                env.pop(transient, None)
            self.env = env
            self.cwd = Path(pwd_out.read_text().strip())

    def start_background(self, step: Step, command: str, limit: float) -> None:
        log = self.scratch / f"job-{len(self.jobs)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["bash", "-c", command],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.jobs.append((step, process, log))
        deadline = time.monotonic() + min(limit, BACKGROUND_READY)
        # The loopback deployment is ready once it listens, whatever its lines shown.
        loopback = starts_loopback(step.shell_command)
        while True:
            actual = plain(log.read_text(errors="replace"))
            missing = unmatched(step.expected, actual)
            if missing is None and (not loopback or listening(self.port)):
                return
            if process.poll() is not None:
                note = f": it ended (exit {process.returncode}) before showing it"
                raise AssertionError(mismatch_report(step, actual, missing or 0, note))
            if time.monotonic() > deadline:
                raise AssertionError(mismatch_report(step, actual, missing or 0, " within 60 s"))
            time.sleep(0.05)

    def close(self) -> list[str]:
        """Stop the background jobs (SIGTERM to each group, SIGKILL after STOP_GRACE); the
        command lines of any of their processes still running afterwards."""
        left: list[str] = []
        for _step, process, _log in self.jobs:
            below = descendants(process.pid)
            end_group(process, grace=STOP_GRACE)
            left += [p.cmdline for p in outliving(below, within=STOP_GRACE)]
        return left


def starts_loopback(command: str) -> bool:
    return (
        command.split()[:2] == ["make", "loopback"]
        or re.search(r"-m tests\.loopback serve\b", command) is not None
    )


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
    except OSError:
        return False
    return True


def session_env(home: Path) -> dict[str, str]:
    """The environment of a new shell: no CONVEX_*, CI or active venv, a HOME of its own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONVEX_", "PYTEST_", "npm_", "NPM_", "PIP_"))
        and key not in ("CI", "VIRTUAL_ENV", "PYTHONPATH", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")
        and key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")  # when under make test
    }
    venv_bins = {str(REPO / ".venv" / "bin"), os.environ.get("VIRTUAL_ENV", "/nonexistent") + "/bin"}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and p not in venv_bins
    )
    real_home = Path(os.environ.get("HOME", str(Path.home())))
    env.update(
        HOME=str(home),
        COLUMNS=COLUMNS,
        # A fresh HOME, but the machine's download caches (as a developer's machine has them).
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(real_home / ".cache" / "pip")),
        NPM_CONFIG_CACHE=os.environ.get("NPM_CONFIG_CACHE", str(real_home / ".npm")),
    )
    home.mkdir(parents=True, exist_ok=True)
    return env


def copy_working_tree(dest: Path) -> Path:
    """The repository's tracked files as the working tree has them (times kept), with the
    checkout's .venv and node_modules linked in."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    dest.mkdir(parents=True)
    for raw in listed:
        if not raw:
            continue
        name = raw.decode()
        source = REPO / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet in the index
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name, follow_symlinks=False)
    for shared in (".venv", "node_modules"):
        (dest / shared).symlink_to(REPO / shared, target_is_directory=True)
    return dest


def fresh_clone(dest: Path) -> Path:
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(dest)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    return dest


def stale_stamps(root: Path, env: dict[str, str]) -> bool:
    """Whether make would reinstall (the checkout's stamps older than what they stamp)."""
    asked = subprocess.run(
        ["make", "-q", *STAMPS], cwd=root, env=env, capture_output=True, timeout=60, check=False
    )
    return asked.returncode != 0


def follow(root: Path, readme: str, scratch: Path, *, shared_installs: bool) -> None:
    """Run the first screen of `readme` in `root`; fail with a diff at the first step whose
    output is not what it shows. Nothing is left running."""
    steps = first_screen(readme)
    assert steps, "the README's first screen has no console block with a `$ ` command"
    scratch.mkdir(parents=True, exist_ok=True)
    session = Session(root, session_env(scratch / "home"), int(closed_port_url().rsplit(":", 1)[1]), scratch)
    if shared_installs and stale_stamps(root, session.env):
        session.make_flags = [f"-o {stamp}" for stamp in STAMPS]
    try:
        for step in steps:
            if step.shell_command.split()[:2] == ["make", "test"]:
                continue  # never the suite inside itself; CI runs it on its own
            session.run(step)
    finally:
        left = session.close()
        end_processes_mentioning(str(root))
    assert left == [], f"still running after the first screen: {left}"


# -- the README itself -----------------------------------------------------------------


@pytest.mark.slow
def test_the_readme_first_screen_runs_as_shown(tmp_path: Path) -> None:
    # In make test: the working tree (uncommitted README edits count), installs shared.
    root = fresh_clone(tmp_path / "clone") if FRESH else copy_working_tree(tmp_path / "copy")
    readme = (root / "README.md").read_text(encoding="utf-8")
    follow(root, readme, tmp_path / "scratch", shared_installs=not FRESH)


def test_a_fresh_clone_has_convex_generated_and_git_does_not_ignore_it() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "convex/_generated"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert {Path(p).name for p in tracked} >= {
        "api.d.ts",
        "api.js",
        "dataModel.d.ts",
        "server.d.ts",
        "server.js",
    }
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", "convex/_generated/api.d.ts"],
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert ignored.returncode == 1  # 1: not ignored


# -- the parser and the matcher, on sample READMEs -------------------------------------

SAMPLE = f"""# sample

Some prose with `$ not a command`.

```sh
$ not run: not a console block
```

```console
$ make check   # installs, then checks
…
Convex check · …
  ✔ schema       convex/schema.ts evaluates: 5 tables, 4 indexes

8/8 checks passed in 0.52 s
$ make loopback &
$ export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210
```

Between blocks.

~~~~console
$ app convex ping
  ✔ reachable  …
~~~~

{END_OF_FIRST_SCREEN}

```console
$ after the first screen: never run
```
"""


def test_the_first_screen_is_its_console_blocks_commands_and_expected_lines() -> None:
    steps = first_screen(SAMPLE)

    assert [(s.command, s.expected) for s in steps] == [
        (
            "make check   # installs, then checks",
            (
                "…",
                "Convex check · …",
                "  ✔ schema       convex/schema.ts evaluates: 5 tables, 4 indexes",
                "8/8 checks passed in 0.52 s",
            ),
        ),
        ("make loopback &", ()),
        ("export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210", ()),
        ("app convex ping", ("  ✔ reachable  …",)),
    ]
    assert steps[0].line == 10 and steps[1].background and steps[1].shell_command == "make loopback"


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        ("```console\n$ ls\n```\n", "no line '<!-- end of the first screen -->'"),
        (f"```console\noutput first\n$ ls\n```\n{END_OF_FIRST_SCREEN}\n", "line 2: output before any `$ `"),
        (f"```console\n$ ls\n{END_OF_FIRST_SCREEN}\n", "is not closed"),
    ],
)
def test_a_first_screen_out_of_format_is_said_so(readme: str, message: str) -> None:
    with pytest.raises(ReadmeFormatError, match=re.escape(message)):
        first_screen(readme)


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("8/8 checks passed in 0.52 s", "7/8 checks passed in 12 s"),
        (
            "  export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210",
            "  export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:40123",
        ),
        ("node 20.20.2, convex 1.48.0 (pinned)", "node 22.1.0, convex 1.48.0 (pinned)"),
        ("Convex check · …", "Convex check · /tmp/x/copy"),
        ("Convex check · …", "Convex check · 0"),
        ("a … b … c", "a 1 b 2 c"),
        ("trailing spaces   ", "trailing spaces"),
    ],
)
def test_an_expected_line_matches_numbers_and_ellipses(expected: str, actual: str) -> None:
    assert unmatched((expected,), plain(actual)) is None


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("8/8 checks passed", "8/8 checks failed"),
        ("version 1.48.0", "version one"),  # a number only matches a number
        ("Convex check · …", "Convex ping · http://x"),
        ("  ✔ schema", "✔ schema"),  # indentation counts
        ("ping", "app convex ping"),  # the whole line, not a part
    ],
)
def test_an_expected_line_does_not_match_other_text(expected: str, actual: str) -> None:
    assert unmatched((expected,), plain(actual)) == 0


def test_expected_lines_are_a_subset_of_the_output_in_order_ansi_stripped() -> None:
    output = "\x1b[1mConvex check\x1b[0m · /p\r\nspinner\rone 1\nextra\n\x1b[32m✔\x1b[0m two 2\n"
    actual = plain(output)
    assert actual == ["Convex check · /p", "one 1", "extra", "✔ two 2"]

    assert unmatched(("Convex check · …", "one 9", "✔ two 9"), actual) is None
    assert unmatched(("✔ two 2", "one 1"), actual) == 1  # out of order
    assert unmatched(("one 1", "one 1"), actual) == 1  # a line is matched once


def test_a_mismatch_shows_what_was_expected_found_and_printed() -> None:
    step = Step("app convex ping", ("Convex ping · …", "  ✔ schema     in sync", "3/3 checks passed"), 40)
    actual = plain("Convex ping · http://x\n  ✘ schema     drift\n1/3 checks passed\n")
    missing = unmatched(step.expected, actual)
    assert missing == 1

    report = mismatch_report(step, actual, missing)
    assert report.splitlines() == [
        "README.md line 40: `$ app convex ping` did not print what the README shows.",
        "expected, in order (✓ found, ✗ not found after the lines before it):",
        "  ✓ Convex ping · …",
        "  ✗   ✔ schema     in sync",
        "    3/3 checks passed",
        "actual output:",
        "  | Convex ping · http://x",
        "  |   ✘ schema     drift",
        "  | 1/3 checks passed",
    ]


# -- the runner, on sample sessions (no make, no network) ------------------------------


def sample_readme(body: str) -> str:
    return f"```console\n{body}```\n{END_OF_FIRST_SCREEN}\n"


def test_a_session_carries_exports_sources_and_cd_and_stops_its_background_jobs(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "activate").write_text("export ACTIVATED=yes\n")
    readme = sample_readme(
        "$ export GREETING=hello\n"
        "$ source ./activate\n"
        '$ echo "$GREETING $ACTIVATED, took 0.84 s"; echo noise >&2\n'
        "hello yes, took 12 s\n"
        "$ sleep 300.5 &\n"
        "$ (echo started; exec sleep 300.6) &\n"
        "started\n"
        "$ cd sub\n"
        "$ pwd; echo 1; echo 2; echo 3\n"
        "…/root/sub\n"
        "3\n"
        "$ make test\n"
    )
    follow(root, readme, tmp_path / "scratch", shared_installs=False)  # asserts nothing is left
    assert left_running("sleep 300.") == []


def test_a_session_fails_at_the_first_step_not_as_shown(tmp_path: Path) -> None:
    readme = sample_readme("$ echo one\none\n$ printf 'a\\nc\\n'\na\nb\nc\n$ echo never run > ran\n")
    with pytest.raises(AssertionError) as failure:
        follow(tmp_path, readme, tmp_path / "scratch", shared_installs=False)

    assert "README.md line 4: `$ printf 'a\\nc\\n'` did not print what the README shows." in str(
        failure.value
    )
    assert "  ✗ b" in str(failure.value) and "  | c" in str(failure.value)
    assert not (tmp_path / "ran").exists()


def test_a_command_that_fails_or_outlives_its_deadline_fails_the_session(tmp_path: Path) -> None:
    readme = sample_readme("$ echo shown; exit 3\nshown\n")
    with pytest.raises(AssertionError, match="it exited 3"):
        follow(tmp_path, readme, tmp_path / "scratch", shared_installs=False)

    session = Session(tmp_path, session_env(tmp_path / "home"), 1, tmp_path)
    started = time.monotonic()
    with pytest.raises(AssertionError, match="within its deadline of 1 s"):
        session.run(Step("sleep 60.137 & sleep 61.137", (), 1), deadline=1.0)
    assert time.monotonic() - started < 30
    assert left_running(".137") == []


def test_a_background_job_that_ends_before_its_lines_fails_the_session(tmp_path: Path) -> None:
    readme = sample_readme("$ echo partial &\nready\n")
    with pytest.raises(AssertionError, match=r"it ended \(exit 0\) before showing it"):
        follow(tmp_path, readme, tmp_path / "scratch", shared_installs=False)


def test_the_loopback_commands_get_the_sessions_port(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("loopback: setup\n\t$(BIN)/python -m tests.loopback serve\n")
    session = Session(tmp_path, {}, 40123, tmp_path)

    assert session.rewrite("make loopback") == "make loopback LOOPBACK_PORT=40123"
    assert session.rewrite("make loopback LOOPBACK_PORT=3300") == "make loopback LOOPBACK_PORT=40123"
    assert session.rewrite("python -m tests.loopback serve --port 3210") == (
        "python -m tests.loopback serve --port 40123"
    )
    assert session.rewrite("export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210") == (
        "export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:40123"
    )
    assert session.rewrite("app convex ping --url http://localhost:3210") == (
        "app convex ping --url http://localhost:40123"
    )
    assert session.rewrite("echo 13210 3210") == "echo 13210 3210"

    assert starts_loopback("make loopback") and starts_loopback(".venv/bin/python -m tests.loopback serve")
    assert not starts_loopback("python -m tests.loopback") and not starts_loopback("make check")

    (tmp_path / "Makefile").write_text("check:\n\ttrue\n")
    assert session.rewrite("make loopback") == ".venv/bin/python -m tests.loopback serve --port 40123"
    session.make_flags = ["-o .venv/.installed", "-o node_modules/.installed"]
    assert session.rewrite("make check") == "make -o .venv/.installed -o node_modules/.installed check"
