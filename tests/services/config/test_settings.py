"""Settings: flag > process environment > .env.local > .env, each with its source; keys stay hidden."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from cli.services.config.settings import Secret, Settings


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    write(folder / ".env", "CONVEX_URL=http://from-dotenv:1\nCONVEX_DEPLOYMENT=dev:from-dotenv\n")
    write(folder / ".env.local", "CONVEX_URL=http://from-local:2\n")
    return folder


def test_precedence_and_sources(root: Path) -> None:
    environ = {"CONVEX_URL": "http://from-env:3"}

    def url(flag: str | None, env: dict[str, str]) -> tuple[str, str]:
        setting = Settings(root, flags={"CONVEX_URL": ("--url", flag)}, environ=env).get("CONVEX_URL")
        assert setting is not None
        return setting.text, setting.source

    assert url("http://from-flag:4", environ) == ("http://from-flag:4", "--url")
    assert url(None, environ) == ("http://from-env:3", "environment")
    assert url(None, {}) == ("http://from-local:2", ".env.local")
    (root / ".env.local").unlink()
    assert url(None, {}) == ("http://from-dotenv:1", ".env")


def test_a_variable_only_in_dotenv_is_found_under_a_local_override(root: Path) -> None:
    setting = Settings(root, environ={}).get("CONVEX_DEPLOYMENT")
    assert setting is not None and (setting.text, setting.source) == ("dev:from-dotenv", ".env")


def test_an_empty_environment_variable_hides_the_files_and_counts_as_unset(root: Path) -> None:
    settings = Settings(root, environ={"CONVEX_URL": ""})

    assert settings.get("CONVEX_URL") is None
    [warning] = settings.warnings()
    assert (warning.file, warning.line) == (None, None)
    assert warning.message.startswith("CONVEX_URL is set but empty in the environment")
    assert "unset CONVEX_URL" in warning.hint


def test_an_empty_line_in_env_local_hides_env(root: Path) -> None:
    write(root / ".env.local", "# the URL\nCONVEX_URL=\n")
    settings = Settings(root, environ={})

    assert settings.get("CONVEX_URL") is None
    assert settings.get("CONVEX_DEPLOYMENT") is not None  # other names still come from .env
    [warning] = settings.warnings()
    assert warning.where == ".env.local line 2" and "hides its value in .env" in warning.message


def test_an_empty_value_with_nothing_to_hide_is_no_warning(root: Path) -> None:
    write(root / ".env.local", "CONVEX_DEPLOY_KEY=\n")

    assert Settings(root, environ={"CONVEX_SELF_HOSTED_URL": ""}).warnings() == []


def test_a_flag_leaves_no_warning_about_hidden_values(root: Path) -> None:
    settings = Settings(root, flags={"CONVEX_URL": ("--url", "http://f:1")}, environ={"CONVEX_URL": ""})

    assert settings.warnings() == []


def test_a_broken_env_does_not_stop_a_value_from_env_local(root: Path) -> None:
    (root / ".env").write_bytes(b'CONVEX_URL="http://never-closed\nJUST WORDS\n\xff\n')
    settings = Settings(root, environ={})

    setting = settings.get("CONVEX_URL")
    assert setting is not None and (setting.text, setting.source) == ("http://from-local:2", ".env.local")
    assert [w.where for w in settings.warnings()] == [".env line 1", ".env line 2", ".env line 3"]


def test_a_latin1_byte_in_a_comment_is_fine(root: Path) -> None:
    (root / ".env.local").write_bytes(b"# caf\xe9\nCONVEX_URL=http://h:1\n")
    settings = Settings(root, environ={})

    setting = settings.get("CONVEX_URL")
    assert setting is not None and setting.text == "http://h:1"
    assert settings.warnings() == []


def test_dollar_variables_stay_as_written(root: Path) -> None:
    write(root / ".env.local", "H=x\nCONVEX_URL=http://${H}:1\n")

    setting = Settings(root, environ={"H": "y"}).get("CONVEX_URL")

    assert setting is not None and setting.text == "http://${H}:1"


def test_a_folder_named_env_is_a_warning_not_an_error(root: Path) -> None:
    (root / ".env").unlink()
    (root / ".env").mkdir()
    settings = Settings(root, environ={})

    setting = settings.get("CONVEX_URL")
    assert setting is not None and setting.source == ".env.local"
    assert [w.where for w in settings.warnings()] == [".env"]


def test_each_file_is_read_once(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.services.config.env_files import EnvFile, load_env_file

    reads: list[str] = []

    def counting(path: Path, name: str | None = None) -> EnvFile:
        reads.append(path.name)
        return load_env_file(path, name)

    monkeypatch.setattr("cli.services.config.settings.load_env_file", counting)
    settings = Settings(root, environ={})

    for name in ("CONVEX_URL", "CONVEX_DEPLOYMENT", "CONVEX_DEPLOY_KEY"):
        settings.get(name)
    settings.warnings()

    assert reads == [".env.local", ".env"]


def test_dotenv_key_with_a_vault_is_a_warning(root: Path) -> None:
    (root / ".env.local.vault").write_text("DOTENV_VAULT_DEVELOPMENT=...\n")

    assert Settings(root, environ={}).warnings() == []
    [warning] = Settings(root, environ={"DOTENV_KEY": "dotenv://:key@x/vault/.env.vault"}).warnings()
    assert warning.file == ".env.local" and ".env.local.vault instead of .env.local" in warning.message


def test_unset_everywhere_is_none(tmp_path: Path) -> None:
    assert Settings(tmp_path, environ={}).get("CONVEX_URL") is None


def test_reading_env_files_never_changes_the_process_environment(root: Path) -> None:
    before = dict(os.environ)
    Settings(root).get("CONVEX_URL")
    assert dict(os.environ) == before


def test_keys_never_show_in_repr_str_or_json(root: Path) -> None:
    key = "prod:secret-deploy-key-0123456789"
    write(root / ".env.local", f"CONVEX_DEPLOY_KEY={key}\nCONVEX_SELF_HOSTED_ADMIN_KEY={key}\n")
    settings = Settings(root, environ={})
    for name in ("CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_ADMIN_KEY"):
        setting = settings.get(name)
        assert setting is not None
        assert isinstance(setting.value, Secret)
        assert key not in repr(setting) and key not in str(setting.value)
        assert key not in setting.describe()
        assert setting.text == key  # still usable where it is needed
        with pytest.raises(TypeError):
            json.dumps(setting.value)
        with pytest.raises(TypeError):
            pickle.dumps(setting.value)
