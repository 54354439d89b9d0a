"""`app convex check --watch`: the checklist again on each save, from one warm Node, with what
changed since the last run; it ends on Ctrl-C, SIGTERM or SIGHUP with nothing left running."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from tests.support.project import (
    app_env,
    finish,
    left_running,
    processes_mentioning,
    run_app,
    start_app,
    wait_for_output,
)

BY_WALLET = '.index("by_wallet", ["wallet_address"])'
BY_ID = BY_WALLET + '.index("by_id", ["username"])'


def edit(project: Path, old: str, new: str) -> None:
    schema = project / "convex" / "schema.ts"
    schema.write_text(schema.read_text().replace(old, new))


def servers(project: Path) -> list[str]:
    return [p for p in processes_mentioning(str(project)) if "serve.mjs" in p]


def test_each_save_checks_again_and_says_what_changed(project: Path) -> None:
    sig, code = signal.SIGINT, 130
    proc = start_app(["convex", "check", "--watch"], project, app_env())
    try:
        seen = wait_for_output(proc, "for changes (Ctrl-C ends)")
        assert (
            "6/7 checks passed (1 skipped)" in seen.decode()
            or "7/8 checks passed (1 skipped)" in seen.decode()
        )
        [server] = servers(project)

        edit(project, BY_WALLET, BY_ID)
        seen += wait_for_output(proc, "+ push/reserved-index")
        edit(project, BY_ID, BY_WALLET)
        seen += wait_for_output(proc, "- push/reserved-index")

        assert servers(project) == [server]  # the same warm Node answered every save
        proc.send_signal(sig)
        rest_code, rest = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    text = seen.decode() + rest
    rounds = text.split("── ")
    assert len(rounds) >= 3, text
    assert re.search(r"\d\d:\d\d:\d\d · convex/schema\.ts changed", rounds[1])
    assert (
        "since the last run: push rules passed → failed; models passed → skipped; "
        "schema: indexes +users.by_id" in rounds[1]
    )
    assert re.search(r"\+ push/reserved-index  convex/schema\.ts:10:\d+: index users\.by_id", rounds[1])
    assert "since the last run: push rules failed → passed" in rounds[-1]
    assert rest_code == code
    assert left_running(str(project)) == []


def test_watch_is_for_people(project: Path) -> None:
    result = run_app("convex", "check", "--watch", "--json", cwd=project)

    assert result.returncode == 2
    error = result.json()["error"]  # --json asked for: the usage error comes as its document
    assert "--watch shows the checklist for people; use --json without it" in error["message"]


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 128 + 15), (signal.SIGHUP, 128 + 1)])
def test_sigterm_and_sighup_end_it_as_they_end_every_command(
    project: Path, sig: signal.Signals, code: int
) -> None:
    proc = start_app(["convex", "check", "--watch"], project, app_env())
    try:
        wait_for_output(proc, "for changes (Ctrl-C ends)")
        assert len(servers(project)) == 1
        proc.send_signal(sig)
        rest_code, rest = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    assert rest_code == code
    assert rest.strip().endswith(f"error: stopped by {signal.Signals(sig).name}")
    assert left_running(str(project)) == []


NO_INOTIFY = """\
import errno, sys
from cli.shared import watch
def refused(_libc):
    raise watch.unavailable(errno.EMFILE)
watch._inotify_fd = refused
sys.argv = ["app", "convex", "check", "--watch"]
from cli.main import main
main()
"""


def test_files_that_cannot_be_watched_are_one_error_and_exit_3(project: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-P", "-c", NO_INOTIFY],
        cwd=project,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "error: files cannot be watched: Too many open files "
        "(inotify; the limit is fs.inotify.max_user_instances)",
        "hint: Stop other programs that watch files, or raise it: "
        "`sudo sysctl fs.inotify.max_user_instances=<a higher number>`.",
    ]
    assert result.stdout == ""
    assert left_running(str(project)) == []
