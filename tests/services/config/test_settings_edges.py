"""Settings' edges, each warning in full: where settings are looked for, flags, secrets, empty
values that hide others and the cap on warnings shown. The precedence is the pinned Convex CLI's
(node_modules/convex/src/cli/lib/deploymentSelection.ts: `dotenv.config({ path: ".env.local" });
dotenv.config();`, then "" counts as unset); the rest is this app's own wording."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from cli.services.config.env_files import SettingsWarning
from cli.services.config.settings import SHOWN_WARNINGS, Secret, Setting, Settings

URL = "CONVEX_URL"


def test_a_secret_shows_only_stars_and_compares_by_value() -> None:
    key = Secret("prod:k-1")

    assert repr(key) == str(key) == "Secret('********')"
    assert key == Secret("prod:k-1") and hash(key) == hash(Secret("prod:k-1"))
    assert key != Secret("prod:k-2") and key != "prod:k-1"
    assert len({key, Secret("prod:k-1"), Secret("prod:k-2")}) == 2
    with pytest.raises(TypeError, match=r"^a Secret cannot be pickled$"):
        pickle.dumps(key)


def test_settings_for_the_working_directory_start_at_the_project_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".env.local").write_text(f"{URL}=http://127.0.0.1:9\n", encoding="utf-8")
    monkeypatch.chdir(project / "convex")

    settings = Settings.for_cwd(flags={"CONVEX_DEPLOYMENT": ("--deployment", "dev:a-1")})

    assert settings.root == project.resolve()
    assert settings.get(URL) == Setting(URL, "http://127.0.0.1:9", ".env.local")
    assert settings.get("CONVEX_DEPLOYMENT") == Setting("CONVEX_DEPLOYMENT", "dev:a-1", "--deployment")


def test_outside_a_project_the_working_directory_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.chdir(folder)

    assert Settings.for_cwd().root == folder.resolve()


def test_a_flag_is_a_setting_of_its_name_and_a_key_stays_secret(tmp_path: Path) -> None:
    flags = {URL: ("--url", "http://f:1"), "CONVEX_DEPLOY_KEY": ("--key", "prod:k")}
    settings = Settings(tmp_path, flags=flags, environ={})

    assert settings.get(URL) == Setting(URL, "http://f:1", "--url")
    assert settings.get("CONVEX_DEPLOY_KEY") == Setting("CONVEX_DEPLOY_KEY", Secret("prod:k"), "--key")
    url = settings.get(URL)
    assert url is not None and url.describe() == "CONVEX_URL from --url"


def test_an_empty_environment_variable_that_hides_a_file_is_said_in_full(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(f"{URL}=http://l:1\n", encoding="utf-8")

    assert Settings(tmp_path, environ={URL: ""}).warnings() == [
        SettingsWarning(
            None,
            None,
            "CONVEX_URL is set but empty in the environment, which hides its value in .env.local: "
            "the Convex CLI takes it as unset",
            "Unset it (`unset CONVEX_URL`) to use the value in .env.local, or give it a value.",
            URL,
        )
    ]


def test_an_empty_line_that_hides_the_next_file_is_said_in_full(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(f"# empty\n{URL}=\n", encoding="utf-8")
    (tmp_path / ".env").write_text(f"{URL}=http://e:1\n", encoding="utf-8")

    assert Settings(tmp_path, environ={}).warnings() == [
        SettingsWarning(
            ".env.local",
            2,
            "CONVEX_URL= is empty, which hides its value in .env: the Convex CLI takes it as unset",
            "Remove the line to use the value in .env, or give it a value here.",
            URL,
        )
    ]


def test_a_vault_read_instead_is_said_in_full(tmp_path: Path) -> None:
    (tmp_path / ".env.vault").write_text("DOTENV_VAULT_DEVELOPMENT=x\n", encoding="utf-8")

    assert Settings(tmp_path, environ={"DOTENV_KEY": "dotenv://:k@x/vault/.env.vault"}).warnings() == [
        SettingsWarning(
            ".env",
            None,
            "DOTENV_KEY is set, so the Convex CLI reads .env.vault instead of .env; this app reads .env "
            "and may see other values",
            f"Unset DOTENV_KEY, or remove {tmp_path / '.env.vault'} if it is not in use.",
        )
    ]


def test_at_most_ten_warnings_are_shown_then_how_many_more_and_where(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(f"{URL}=http://l:1\n" + "JUST WORDS\n" * 11, encoding="utf-8")
    settings = Settings(tmp_path, environ={URL: ""})
    skipped = (
        "not NAME=value, so the Convex CLI (dotenv) skips this line. "
        "Write it as NAME=value, or start it with # to make it a comment."
    )

    lines = settings.warning_lines()

    assert SHOWN_WARNINGS == 10 and len(settings.warnings()) == 12
    assert lines == [
        *[f".env.local line {n}: {skipped}" for n in range(2, 12)],
        "2 more like these in .env.local, the environment",
    ]


def test_ten_warnings_are_all_shown(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("JUST WORDS\n" * 10, encoding="utf-8")

    lines = Settings(tmp_path, environ={}).warning_lines()

    assert len(lines) == 10 and all(line.startswith(".env.local line ") for line in lines)


def test_a_flag_not_given_leaves_the_files_to_decide(tmp_path: Path) -> None:
    """ping passes `--url` as (spelling, None) when it is absent."""
    (tmp_path / ".env.local").write_text(f"{URL}=http://l:1\n", encoding="utf-8")

    settings = Settings(tmp_path, flags={URL: ("--url", None)}, environ={})

    assert settings.get(URL) == Setting(URL, "http://l:1", ".env.local")


def test_a_reference_to_another_variable_is_said_as_the_cli_reads_it(tmp_path: Path) -> None:
    """npm dotenv 16.6.1's parse has no expansion (lib/main.js; dotenv-expand is another package):
    the CLI connects to the text as written. The warning names the reference, never the value."""
    (tmp_path / ".env.local").write_text(f"H=127.0.0.1\n{URL}=http://${{H}}:3210\n", encoding="utf-8")

    assert Settings(tmp_path, environ={}).warnings() == [
        SettingsWarning(
            ".env.local",
            2,
            "CONVEX_URL refers to ${H}, which the Convex CLI does not expand (dotenv reads .env files "
            "as they are): it uses the text as written",
            "Write the value itself in place of ${H}.",
            URL,
        )
    ]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("http://${HOST:-127.0.0.1}:3210", "${HOST:-127.0.0.1}"),
        ("${URL}", "${URL}"),
        ("x${_A1-y}", "${_A1-y}"),
    ],
)
def test_every_form_dotenv_expand_knows_is_a_reference(tmp_path: Path, text: str, reference: str) -> None:
    (tmp_path / ".env").write_text(f"{URL}={text}\n", encoding="utf-8")

    (warning,) = Settings(tmp_path, environ={}).warnings()

    assert warning.message.startswith(f"CONVEX_URL refers to {reference}, ")


@pytest.mark.parametrize("text", ["http://127.0.0.1:3210", "http://h/$H", "${}", "${1A}", "$ {H}"])
def test_text_that_is_no_reference_is_not_said(tmp_path: Path, text: str) -> None:
    (tmp_path / ".env").write_text(f"{URL}={text}\n", encoding="utf-8")

    assert Settings(tmp_path, environ={}).warnings() == []


def test_a_reference_is_not_said_where_the_file_does_not_decide(tmp_path: Path) -> None:
    """The environment's value (a shell expands its own) and a flag win over the file's."""
    (tmp_path / ".env.local").write_text(f"{URL}=http://${{H}}:1\n", encoding="utf-8")

    for environ in ({URL: "http://e:1"}, {URL: "http://${E}:1"}):  # the second is no file's doing
        # the file's value is hidden (said as such), so its reference is not in force
        (shadowed,) = Settings(tmp_path, environ=environ).warnings()
        assert shadowed.message.startswith("CONVEX_URL here is hidden by a different CONVEX_URL")
    (hidden,) = Settings(tmp_path, environ={URL: ""}).warnings()  # empty: the CLI sees it unset
    assert hidden.message.startswith("CONVEX_URL is set but empty in the environment")
    assert Settings(tmp_path, environ={}, flags={URL: ("--url", "http://f:1")}).warnings() == []


def test_a_secret_with_a_reference_is_not_shown(tmp_path: Path) -> None:
    key = "CONVEX_DEPLOY_KEY"
    (tmp_path / ".env.local").write_text(f"{key}=prod:abc${{SUFFIX}}\n", encoding="utf-8")

    (warning,) = Settings(tmp_path, environ={}).warnings()

    assert "prod:abc" not in warning.message and warning.message.startswith(f"{key} refers to ${{SUFFIX}}, ")
