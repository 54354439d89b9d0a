"""What the settings files hold but does not count, said with the file: a CONVEX_URL the
environment hides, and a `.env.local` that is not read at all (a link to nothing, a folder).

npm dotenv 16.6.1 (the Convex CLI's) reads a file with readFileSync: a link to a missing file
fails with ENOENT, which `config()` returns as its error and the CLI ignores, as it ignores a
file that is not there (checked in test_a_link_to_nothing_is_ignored_by_npm_dotenv)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cli.services.config.env_files import SettingsWarning
from cli.services.config.settings import Settings
from cli.services.convex.deployment.target import deployment_target
from cli.services.convex.deployment.url import deployment_url, url_warnings
from cli.shared.errors import ConfigError, ExitCode
from tests.support.project import REPO, app_env, run_app

URL = "CONVEX_URL"
HIDDEN = (
    "CONVEX_URL here is hidden by a different CONVEX_URL in the environment, which `app convex ping` "
    "and the app's client use instead"
)
UNSET_IT = "Unset it in the environment (`unset CONVEX_URL`) to use this one, or remove this line."


def test_a_file_value_the_environment_hides_is_said_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(f"# written by convex dev\n{URL}=http://127.0.0.1:1\n")

    warnings = Settings(tmp_path, environ={URL: "http://127.0.0.1:2"}).warnings()

    assert warnings == [SettingsWarning(".env.local", 2, HIDDEN, UNSET_IT, URL)]


def test_dot_env_is_named_when_it_is_the_file_hidden(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"{URL}=http://127.0.0.1:1\n")
    (tmp_path / ".env.local").write_text("OTHER=1\n")

    settings = Settings(tmp_path, environ={URL: "http://127.0.0.1:2"})

    assert settings.warning_lines() == [f".env line 1: {HIDDEN}. {UNSET_IT}"]


@pytest.mark.parametrize(
    ("environ", "files", "flags"),
    [
        ({URL: "http://127.0.0.1:1"}, {".env.local": f"{URL}=http://127.0.0.1:1\n"}, {}),  # they agree
        ({}, {".env.local": f"{URL}=http://127.0.0.1:1\n"}, {}),  # nothing hides it
        ({URL: "http://127.0.0.1:2"}, {".env.local": "OTHER=1\n"}, {}),  # nothing to hide
        ({URL: "http://127.0.0.1:2"}, {".env.local": f"{URL}=\n", ".env": f"{URL}=http://e:1\n"}, {}),
        (
            {URL: "http://127.0.0.1:2"},
            {".env.local": f"{URL}=http://127.0.0.1:1\n"},
            {URL: ("--url", "http://f:1")},
        ),
    ],
    ids=["the same value", "no environment", "no file value", "an empty file value", "a flag decides"],
)
def test_no_warning_where_nothing_is_hidden(
    tmp_path: Path,
    environ: dict[str, str],
    files: dict[str, str],
    flags: dict[str, tuple[str, str | None]],
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    assert Settings(tmp_path, environ=environ, flags=flags).warnings() == []


def test_ping_says_the_hidden_value_and_uses_the_environments(project: Path) -> None:
    (project / ".env.local").write_text(f"{URL}=http://127.0.0.1:1\n")
    env = app_env(CONVEX_URL="http://127.0.0.1:9")

    result = run_app("convex", "ping", "--json", "--timeout", "2", cwd=project, env=env)

    assert result.returncode == 4  # the environment's URL: nothing listens on port 9
    document = result.json()
    assert document["url"] == "http://127.0.0.1:9" and document["url_source"] == "environment"
    assert document["settings_warnings"] == [f".env.local line 1: {HIDDEN}. {UNSET_IT}"]

    human = run_app("convex", "ping", "--timeout", "2", cwd=project, env=env)

    assert human.stderr.splitlines()[0] == f"warning: .env.local line 1: {HIDDEN}. {UNSET_IT}"


def test_ping_is_quiet_when_the_environment_and_the_file_agree(project: Path) -> None:
    (project / ".env.local").write_text(f"{URL}=http://127.0.0.1:9\n")

    result = run_app(
        "convex", "ping", "--timeout", "2", cwd=project, env=app_env(CONVEX_URL="http://127.0.0.1:9")
    )

    assert result.returncode == 4
    assert "warning" not in result.stderr


# -- a .env.local that is not read ---------------------------------------------------------


def test_a_link_to_nothing_is_ignored_by_npm_dotenv(tmp_path: Path) -> None:
    """What the Convex CLI's dotenv does with it: an ENOENT error, nothing set."""
    (tmp_path / ".env.local").symlink_to("missing")
    script = (
        'const r = require("dotenv").config({ path: ".env.local" });'
        "const url = process.env.CONVEX_URL || null;"
        "console.log(JSON.stringify({ error: r.error && r.error.code, url }));"
    )
    env = {**app_env(), "NODE_PATH": str(REPO / "node_modules")}

    done = subprocess.run(
        ["node", "-e", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )

    assert json.loads(done.stdout) == {"error": "ENOENT", "url": None}, done.stderr


def test_a_url_not_set_because_env_local_is_a_link_to_nothing_says_so(project: Path) -> None:
    (project / ".env.local").symlink_to("missing")

    result = run_app("convex", "ping", "--json", cwd=project)

    assert result.returncode == ExitCode.CONFIG
    assert result.json()["error"] == {
        "code": "config",
        "message": "CONVEX_URL is not set: .env.local is a link to a file that does not exist, "
        "so it was not read",
        "hint": f"Point the link {project / '.env.local'} at an existing file, or remove it; "
        "`app convex dev` then writes CONVEX_URL to .env.local.",
    }

    human = run_app("convex", "ping", cwd=project)

    assert human.returncode == ExitCode.CONFIG
    assert human.stderr.splitlines() == [  # said once: no warning before the error that says it
        "error: CONVEX_URL is not set: .env.local is a link to a file that does not exist, so it was "
        "not read",
        f"hint: Point the link {project / '.env.local'} at an existing file, or remove it; "
        "`app convex dev` then writes CONVEX_URL to .env.local.",
    ]


def test_a_link_to_nothing_is_a_warning_when_the_url_comes_from_elsewhere(project: Path) -> None:
    (project / ".env.local").symlink_to("missing")
    env = app_env(CONVEX_URL="http://127.0.0.1:9")

    human = run_app("convex", "ping", "--timeout", "2", cwd=project, env=env)

    assert human.returncode == ExitCode.UNREACHABLE  # the environment's URL: nothing listens on 9
    assert human.stderr.splitlines()[0] == (
        "warning: .env.local is a link to a file that does not exist; the Convex CLI ignores it, and so "
        f"does this app. Point the link {project / '.env.local'} at an existing file, or remove it."
    )  # the file is named once, not `.env.local: .env.local is ...`


def test_url_warnings_leave_out_only_what_the_missing_url_error_says(tmp_path: Path) -> None:
    (tmp_path / ".env.local").symlink_to("missing")
    (tmp_path / ".env").mkdir()

    unset = url_warnings(Settings(tmp_path, environ={}))
    set_here = url_warnings(Settings(tmp_path, environ={URL: "http://127.0.0.1:9"}))

    assert [line.split(";")[0] for line in unset] == [".env is a folder, not a file of settings"]
    assert [line.split(";")[0] for line in set_here] == [
        ".env.local is a link to a file that does not exist",
        ".env is a folder, not a file of settings",
    ]


def test_dev_still_warns_of_a_link_to_nothing(tmp_path: Path) -> None:
    (tmp_path / ".env.local").symlink_to("missing")

    target = deployment_target(Settings(tmp_path, environ={}), local=False, interactive=False)

    assert [w.split(";")[0] for w in target.warnings] == [
        ".env.local is a link to a file that does not exist"
    ]


def test_a_url_set_in_the_other_file_is_used_whatever_env_local_is(tmp_path: Path) -> None:
    (tmp_path / ".env.local").symlink_to("missing")
    (tmp_path / ".env").write_text(f"{URL}=http://127.0.0.1:1\n")

    setting = deployment_url(Settings(tmp_path, environ={}))

    assert (setting.text, setting.source) == ("http://127.0.0.1:1", ".env")


def test_a_url_not_set_with_every_file_read_is_said_as_before(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("OTHER=1\n")

    with pytest.raises(ConfigError) as raised:
        deployment_url(Settings(tmp_path, environ={}))

    assert raised.value.message == "CONVEX_URL is not set"
    assert (raised.value.hint or "").startswith("Run `app convex dev` (it writes CONVEX_URL to .env.local)")


@pytest.mark.parametrize(
    ("environ", "flags", "hidden"),
    [
        ({URL: "http://127.0.0.1:2"}, {}, True),  # the environment's differs: it wins, unsaid
        ({URL: "http://127.0.0.1:1"}, {}, False),  # the same value
        ({URL: ""}, {}, False),  # empty counts as unset: the file's is used
        ({}, {}, False),
        ({URL: "http://127.0.0.1:2"}, {URL: ("--url", "http://127.0.0.1:3")}, False),  # a flag decides
    ],
    ids=["differs", "same", "empty", "none", "flag"],
)
def test_shadowed_says_whether_the_environment_hides_a_value_written_to_a_file(
    tmp_path: Path, environ: dict[str, str], flags: dict[str, tuple[str, str]], hidden: bool
) -> None:
    settings = Settings(tmp_path, environ=environ, flags=flags)

    assert settings.shadowed(URL, "http://127.0.0.1:1") is hidden
