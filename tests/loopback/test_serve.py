"""`python -m tests.loopback serve` (`make loopback`): the loopback deployment for people. It
prints what to export, never reads stdin, and stops cleanly on SIGINT, SIGTERM and SIGHUP, in
the foreground of a terminal and in the background (an interactive shell's job, stdin closed or a
pipe, stdout a file or closed, under nohup); a port it cannot take is an error and a hint.

Every process here has a deadline and is killed at the end of its test whatever happens; each
test serves on a free port of its own (3210, the default, may be taken on a developer's machine).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.loopback.real_clients import closed_port_url
from tests.loopback.serve import DEFAULT_PORT, banner, parse_args
from tests.support.project import REPO, app_env, descendants, gone, pid_alive, run_app
from tests.support.terminal import read_until, start_in_terminal

STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 5.0
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def free_port() -> int:
    return int(closed_port_url().rsplit(":", 1)[1])


def serve_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "tests.loopback", "serve", "--port", str(port)]


def instance_name(url: str) -> str:
    with urllib.request.urlopen(f"{url}/instance_name", timeout=REQUEST_TIMEOUT) as response:
        return str(response.read().decode())


def wait_for_file(path: Path, text: str, timeout: float = STARTUP_TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while text not in (content := path.read_text(errors="replace") if path.exists() else ""):
        assert time.monotonic() < deadline, f"{text!r} did not appear in {path}: {content}"
        time.sleep(0.02)
    return content


def wait_until_listening(url: str, timeout: float = STARTUP_TIMEOUT) -> None:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {url}"
            time.sleep(0.02)


def port_is_free(port: int) -> bool:
    """Whether nothing listens on `port` (its closed connections may linger in TIME_WAIT)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def started() -> Iterator[list[int]]:
    """Pids a test started (or learnt of); any still running at the end is killed."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            gone(pid)


def start(argv: list[str], pids: list[int], **kwargs: Any) -> subprocess.Popen[bytes]:
    process: subprocess.Popen[bytes] = subprocess.Popen(argv, cwd=REPO, env=app_env(), **kwargs)
    pids.append(process.pid)
    return process


def assert_clean(output: str) -> None:
    assert "Traceback" not in output and "Error" not in output, output


# -- what it prints ----------------------------------------------------------------------


def test_the_banner_says_what_it_is_and_what_to_export() -> None:
    lines = banner("http://127.0.0.1:3210", 4242)

    assert "  export CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210" in lines
    assert any(re.fullmatch(r"  export CONVEX_SELF_HOSTED_ADMIN_KEY=\S+", line) for line in lines)
    assert "  export CI=1" in lines
    text = " ".join(lines)
    assert "not the Convex backend" in text and "any admin key works" in text
    assert "CI=1 keeps the Convex CLI from waiting on its error reporter offline" in text
    assert text.startswith("Loopback deployment at http://127.0.0.1:3210 (pid 4242)")
    assert "Ctrl-C or kill ends it" in text
    assert max(len(line) for line in lines) <= 80  # reads whole in a terminal and the README


def test_the_banner_wraps_its_words_to_a_terminal_but_never_an_export() -> None:
    url = "http://127.0.0.1:3210"
    wide, narrow = banner(url, 4242, 80), banner(url, 4242, 40)

    exports = [line for line in wide if line.startswith("  export ")]
    assert exports == [line for line in narrow if line.startswith("  export ")]  # copied whole
    words = [line for line in narrow if not line.startswith("  export ")]
    assert len(words) > len(wide) - len(exports)
    assert all(len(line) <= 40 and line == line.strip() for line in words), words
    assert " ".join(words).split() == " ".join(line for line in wide if line not in exports).split()


def test_the_port_is_convexs_local_default_unless_given() -> None:
    assert DEFAULT_PORT == 3210
    assert parse_args([]).port == 3210
    assert parse_args(["--port", "4000"]).port == 4000


def test_a_port_out_of_range_is_a_usage_error() -> None:
    result = subprocess.run(
        [*serve_argv(0)], cwd=REPO, capture_output=True, text=True, timeout=STARTUP_TIMEOUT, check=False
    )
    assert result.returncode == 2
    assert "a port is 1 to 65535, not 0" in result.stderr
    assert "Traceback" not in result.stderr


# -- in the foreground of a terminal ---------------------------------------------------


def test_in_a_terminal_it_prints_the_exports_ping_answers_and_ctrl_c_ends_it(started: list[int]) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process, master = start_in_terminal(serve_argv(port), cwd=REPO, env=app_env())
    started.append(process.pid)
    try:
        shown = read_until(master, b"export CI=1", timeout=STARTUP_TIMEOUT).decode()
        assert f"export CONVEX_SELF_HOSTED_URL={url}" in shown
        assert f"Loopback deployment at {url} (pid {process.pid})" in shown

        ping = run_app("convex", "ping", "--url", url, cwd=Path.cwd())
        assert "✔ reachable  instance loopback-test" in ping.stdout, ping.output

        os.write(master, b"\x03")  # Ctrl-C as typed: the terminal signals its foreground group
        process.wait(timeout=STOP_TIMEOUT)
        rest = read_until(master, b"stopped (SIGINT)", timeout=STOP_TIMEOUT).decode()
    finally:
        os.close(master)
    assert process.returncode == 0
    assert_clean(shown + rest)
    assert port_is_free(port)


# -- in the background -------------------------------------------------------------------


def test_as_a_job_of_an_interactive_shell_it_serves_and_kill_ends_it(started: list[int]) -> None:
    # The shell reads the terminal for the next command; a background job that reads it too
    # is stopped (SIGTTIN) as soon as something is typed: the test harness's mode is (the
    # control case), which is why people get a mode that never reads stdin.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    shell, master = start_in_terminal(["bash", "--norc", "--noprofile", "-i"], cwd=REPO, env=app_env())
    started.append(shell.pid)
    try:
        os.write(master, b"PS1='$ '\n")
        os.write(master, f"{' '.join(serve_argv(port))} &\n".encode())
        shown = read_until(master, b"export CI=1", timeout=STARTUP_TIMEOUT).decode()
        pid = int(re.findall(r"\(pid (\d+)\)", shown)[0])
        started.append(pid)
        os.write(master, f"{sys.executable} -m tests.loopback &\n".encode())  # the harness
        jobs = read_until(master, b"READY", timeout=STARTUP_TIMEOUT).decode()
        harness = int(re.findall(r"\[2\] (\d+)", jobs)[0])
        started.append(harness)

        os.write(master, f"{sys.executable} -m cli convex ping --url {url}\n".encode())
        ping = ANSI.sub("", read_until(master, b"checks passed", timeout=STARTUP_TIMEOUT).decode())
        assert "✔ reachable  instance loopback-test" in ping, ping
        # A line typed while a foreground command runs stays unread in the terminal: a job that
        # reads the terminal then is stopped for certain, whatever the machine's load.
        os.write(master, b"sleep 60\n# typed while sleep runs\n")
        assert wait_for_state(harness, "T") == "T", "the harness was expected to be stopped by SIGTTIN"
        assert process_state(pid) != "T"
        os.write(master, b"\x03")  # Ctrl-C ends the sleep (the foreground job), not the jobs

        os.write(master, b"kill %1\n")
        assert gone(pid, within=STOP_TIMEOUT)
        rest = read_until(master, b"stopped (SIGTERM)", timeout=STOP_TIMEOUT).decode()
        assert_clean(shown + rest)
        assert port_is_free(port)
    finally:
        # The shell's jobs have process groups of their own and outlive it: learnt now, and
        # killed at the end (by `started`), whatever failed above.
        started.extend(seen.pid for seen in descendants(shell.pid))
        shell.kill()
        shell.wait(timeout=STOP_TIMEOUT)
        os.close(master)


def process_state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def wait_for_state(pid: int, state: str, timeout: float = STARTUP_TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while (now := process_state(pid)) != state and time.monotonic() < deadline:
        time.sleep(0.02)
    return now


@pytest.mark.parametrize(
    "redirections",
    [
        pytest.param("<&- >{out} 2>&1", id="stdin-closed-stdout-a-file"),
        pytest.param("</dev/null >{out} 2>&1", id="stdin-dev-null"),
        pytest.param("<&- >&- 2>&-", id="all-closed"),
    ],
)
def test_with_stdin_closed_it_serves_until_sigterm(
    started: list[int], tmp_path: Path, redirections: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = tmp_path / "out.txt"
    command = f"exec {' '.join(serve_argv(port))} {redirections.format(out=out)}"
    process = start(["sh", "-c", command], started, stdin=subprocess.DEVNULL, start_new_session=True)

    wait_until_listening(url)
    assert instance_name(url) == "loopback-test"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=STOP_TIMEOUT)

    assert process.returncode == 0
    if out.exists():
        text = out.read_text()
        assert f"export CONVEX_SELF_HOSTED_URL={url}" in text
        assert text.rstrip().endswith(f"Loopback deployment at {url} stopped (SIGTERM)")
        assert_clean(text)
    assert port_is_free(port)


def test_with_stdin_a_pipe_that_closes_it_keeps_serving_until_sighup(started: list[int]) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(
        serve_argv(port), started, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    read_until(process.stdout.fileno(), b"export CI=1", timeout=STARTUP_TIMEOUT)
    process.stdin.close()  # the harness would end here; this mode never reads stdin

    assert instance_name(url) == "loopback-test"
    process.send_signal(signal.SIGHUP)
    process.wait(timeout=STOP_TIMEOUT)
    out, err = process.stdout.read(), process.stderr.read() if process.stderr else b""

    assert process.returncode == 0
    assert out.decode().rstrip().endswith("stopped (SIGHUP)")
    assert err == b""
    assert port_is_free(port)


def test_under_nohup_sighup_is_ignored_and_sigterm_ends_it(started: list[int], tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = tmp_path / "out.txt"
    command = f"exec nohup {' '.join(serve_argv(port))} >{out} 2>&1 <&-"
    process = start(["sh", "-c", command], started, stdin=subprocess.DEVNULL, start_new_session=True)
    wait_for_file(out, "export CI=1")

    process.send_signal(signal.SIGHUP)
    assert instance_name(url) == "loopback-test"  # the request comes after the signal
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=STOP_TIMEOUT)

    assert process.returncode == 0
    assert_clean(out.read_text())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_each_stop_signal_ends_it_and_its_connections(started: list[int], sig: signal.Signals) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(
        serve_argv(port), started, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    read_until(process.stdout.fileno(), b"export CI=1", timeout=STARTUP_TIMEOUT)
    # A client holding a connection open does not keep it running.
    held = socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT)
    try:
        held.sendall(b"GET /instance_name HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"loopback-test" in held.recv(4096)

        process.send_signal(sig)
        out, err = process.communicate(timeout=STOP_TIMEOUT)
    finally:
        held.close()

    assert process.returncode == 0  # asked to stop, it stopped (serve.py says why not 130)
    assert out.decode().rstrip().endswith(f"Loopback deployment at {url} stopped ({sig.name})")
    assert err == b""
    assert gone(process.pid) and port_is_free(port)


# -- a port it cannot take ---------------------------------------------------------------


def test_a_port_in_use_is_an_error_and_a_hint(started: list[int]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = start(
            serve_argv(port),
            started,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = process.communicate(timeout=STARTUP_TIMEOUT)

    assert process.returncode == 3
    assert out == b""
    lines = err.decode().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"error: port {port} is in use: something already listens on 127.0.0.1:{port}")
    other = port + 1
    assert lines[1] == (f"hint: Stop it, or use another port: make loopback LOOPBACK_PORT={other}")
