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


def test_empty_values_fall_through(root: Path) -> None:
    write(root / ".env.local", "CONVEX_URL=\n")
    setting = Settings(root, environ={"CONVEX_URL": ""}).get("CONVEX_URL")
    assert setting is not None and setting.source == ".env"


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
