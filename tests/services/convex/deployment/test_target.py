"""Which deployment `convex dev` will use, as the Convex CLI decides it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.services.config.settings import Settings
from cli.services.convex.deployment.keys import deploy_key_kind
from cli.services.convex.deployment.target import Target, deployment_target
from cli.shared.errors import ConfigError


def target_for(
    tmp_path: Path, env: dict[str, str], *, local: bool = False, interactive: bool = False
) -> Target:
    return deployment_target(Settings(tmp_path, environ=env), local=local, interactive=interactive)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("prod:happy-otter-123|secretpart", "prod"),
        ("dev:happy-otter-123|secretpart", "dev"),
        ("preview:team:project|secretpart", "preview"),
        ("project:team:project|secretpart", "project"),
        ("opaque-secret-without-prefix", "unknown"),
        ("weird|prod:inside-secret", "unknown"),
    ],
)
def test_deploy_key_kind_reads_only_the_prefix(key: str, kind: str) -> None:
    assert deploy_key_kind(key) == kind


def test_deploy_key_wins_and_production_is_warned_about(tmp_path: Path) -> None:
    env = {"CONVEX_DEPLOY_KEY": "prod:x|s3cret", "CONVEX_DEPLOYMENT": "dev:other"}
    target = target_for(tmp_path, env)
    assert target.kind == "deploy-key" and target.production
    assert any("production key" in w for w in target.warnings)
    assert "s3cret" not in target.description + " ".join(target.warnings)


def test_self_hosted_needs_its_admin_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CONVEX_SELF_HOSTED_ADMIN_KEY is not"):
        target_for(tmp_path, {"CONVEX_SELF_HOSTED_URL": "http://127.0.0.1:3210"})
    target = target_for(
        tmp_path, {"CONVEX_SELF_HOSTED_URL": "http://127.0.0.1:3210", "CONVEX_SELF_HOSTED_ADMIN_KEY": "k"}
    )
    assert target.kind == "self-hosted" and "http://127.0.0.1:3210" in target.description


def test_self_hosted_and_cloud_deployment_conflict(tmp_path: Path) -> None:
    env = {
        "CONVEX_SELF_HOSTED_URL": "http://h:1",
        "CONVEX_SELF_HOSTED_ADMIN_KEY": "k",
        "CONVEX_DEPLOYMENT": "dev:x",
    }
    with pytest.raises(ConfigError, match="both"):
        target_for(tmp_path, env)


def test_nothing_configured(tmp_path: Path) -> None:
    assert target_for(tmp_path, {}).kind == "local"  # no terminal: Convex picks the local one
    assert target_for(tmp_path, {}, interactive=True).kind == "ask"
    assert target_for(tmp_path, {}, local=True, interactive=True).kind == "local"


def test_local_flag_has_no_effect_when_a_deployment_is_configured(tmp_path: Path) -> None:
    target = target_for(tmp_path, {"CONVEX_DEPLOYMENT": "dev:happy-otter-123"}, local=True)
    assert target.kind == "deployment"
    assert any("--local has no effect" in w for w in target.warnings)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("not a url", "it contains spaces"),
        ("http://127.0.0.1:1:3210", "its port, '1:3210', is not a number"),
        ("http://127.0.0.1:99999", "its port must be a number from 1 to 65535, not 99999"),
        ("127.0.0.1:3210", "it must start with http:// or https://"),
        ("http://127.0.0.1:3210/api", "it has a path, '/api'"),
    ],
)
def test_a_self_hosted_url_is_checked_as_convex_url_is(tmp_path: Path, url: str, problem: str) -> None:
    env = {"CONVEX_SELF_HOSTED_URL": url, "CONVEX_SELF_HOSTED_ADMIN_KEY": "admin-s3cret"}

    with pytest.raises(ConfigError) as raised:
        target_for(tmp_path, env)

    assert raised.value.message.startswith(
        f"CONVEX_SELF_HOSTED_URL from environment is not a deployment URL: {url!r} ({problem}"
    )
    assert str(raised.value.hint).startswith("Set CONVEX_SELF_HOSTED_URL to the self-hosted backend's URL")
    assert "admin-s3cret" not in raised.value.message + str(raised.value.hint)


def test_a_self_hosted_url_from_env_local_is_checked_too(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(
        'CONVEX_SELF_HOSTED_URL="not a url"\nCONVEX_SELF_HOSTED_ADMIN_KEY=k\n', encoding="utf-8"
    )

    with pytest.raises(ConfigError, match=r"^CONVEX_SELF_HOSTED_URL from \.env\.local is not a deployment"):
        target_for(tmp_path, {})


def test_an_empty_self_hosted_url_in_the_environment_counts_as_unset(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text(
        "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\nCONVEX_SELF_HOSTED_ADMIN_KEY=k\n", encoding="utf-8"
    )

    assert target_for(tmp_path, {}).kind == "self-hosted"
    assert target_for(tmp_path, {"CONVEX_SELF_HOSTED_URL": ""}).kind == "local"  # as convex decides


def test_what_the_cli_reads_silently_is_among_the_warnings(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("CONVEX_DEPLOYMENT dev:happy-otter-123\n", encoding="utf-8")

    target = target_for(tmp_path, {})

    assert target.kind == "local"  # the line is skipped, as convex skips it
    assert target.warnings == (
        ".env.local line 1: not NAME=value, so the Convex CLI (dotenv) skips this line. "
        "Write it as NAME=value, or start it with # to make it a comment.",
    )


def test_a_file_of_many_bad_lines_is_said_in_a_few(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("not a setting\n" * 5000, encoding="utf-8")

    warnings = target_for(tmp_path, {}).warnings

    assert len(warnings) == 11 and warnings[-1] == "4990 more like these in .env"
