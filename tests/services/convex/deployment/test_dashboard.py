"""The deployment's dashboard link, found as the pinned CLI's `convex dashboard` finds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.services.config.settings import Settings
from cli.services.convex.deployment.dashboard import Dashboard, find_dashboard
from tests.support.project import app_env, run_app


def settings(tmp_path: Path, **environ: str) -> Settings:
    return Settings(tmp_path, environ=environ)


@pytest.mark.parametrize(
    "url",
    ["https://happy-otter-123.convex.cloud", "https://happy-otter-123.eu-west-1.convex.cloud/"],
)
def test_a_cloud_url_names_its_deployment(tmp_path: Path, url: str) -> None:
    found = find_dashboard(url, settings(tmp_path), tmp_path)

    assert found.url == "https://dashboard.convex.dev/d/happy-otter-123"


def test_convex_deployment_names_it_for_a_custom_domain(tmp_path: Path) -> None:
    found = find_dashboard(
        "https://api.example.com", settings(tmp_path, CONVEX_DEPLOYMENT="dev:happy-otter-123"), None
    )

    assert found.url == "https://dashboard.convex.dev/d/happy-otter-123"
    assert found.why == "from CONVEX_DEPLOYMENT from environment"


def test_a_deploy_key_names_it_without_showing_the_key(tmp_path: Path) -> None:
    environ = {"CONVEX_DEPLOY_KEY": "prod:calm-lynx-42|0123456789abcdef"}

    found = find_dashboard("https://api.example.com", settings(tmp_path, **environ), None)

    assert found.url == "https://dashboard.convex.dev/d/calm-lynx-42"
    assert "0123456789abcdef" not in found.why


def test_self_hosted_has_none_there(tmp_path: Path) -> None:
    environ = {"CONVEX_SELF_HOSTED_URL": "http://127.0.0.1:3210", "CONVEX_SELF_HOSTED_ADMIN_KEY": "k"}

    found = find_dashboard("http://127.0.0.1:3210", settings(tmp_path, **environ), None)

    assert found.url is None and "self-hosted" in found.why


def test_a_local_deployment_has_one_only_while_convex_dev_runs(tmp_path: Path) -> None:
    environ = {"CONVEX_DEPLOYMENT": "anonymous:anonymous-app"}
    assert find_dashboard("http://127.0.0.1:3210", settings(tmp_path, **environ), tmp_path).url is None

    state = tmp_path / ".convex" / "local" / "default"
    state.mkdir(parents=True)
    (state / "dashboard.json").write_text(json.dumps({"port": 6790}))

    assert find_dashboard("http://127.0.0.1:3210", settings(tmp_path, **environ), tmp_path).url == (
        "http://127.0.0.1:6790/"
    )


@pytest.mark.parametrize("port", [True, 0, 70000, "6790", None])
def test_a_local_dashboard_port_that_is_no_port_gives_no_link(tmp_path: Path, port: object) -> None:
    state = tmp_path / ".convex" / "local" / "default"
    state.mkdir(parents=True)
    (state / "dashboard.json").write_text(json.dumps({"port": port}))
    environ = {"CONVEX_DEPLOYMENT": "anonymous:anonymous-app"}

    assert find_dashboard("http://127.0.0.1:3210", settings(tmp_path, **environ), tmp_path).url is None


def test_ping_shows_the_dashboard(project: Path) -> None:
    result = run_app(
        "convex", "ping", "--url", "https://happy-otter-123.convex.cloud", "--timeout", "1", cwd=project
    )
    as_json = run_app(
        "convex", "ping", "--url", "http://127.0.0.1:9", "--timeout", "1", "--json", cwd=project
    ).json()

    assert "dashboard  https://dashboard.convex.dev/d/happy-otter-123" in result.stdout
    assert as_json["dashboard"]["url"] is None and as_json["dashboard"]["why"]


def flagged(tmp_path: Path, url: str, **environ: str) -> Settings:
    return Settings(tmp_path, environ=environ, flags={"CONVEX_URL": ("--url", url)})


@pytest.mark.parametrize(
    ("environ", "setting"),
    [
        ({"CONVEX_SELF_HOSTED_URL": "http://127.0.0.1:3210"}, "CONVEX_SELF_HOSTED_URL from environment"),
        (
            {"CONVEX_DEPLOYMENT": "dev:happy-otter-123", "CONVEX_URL": "http://127.0.0.1:3210"},
            "CONVEX_DEPLOYMENT from environment",
        ),
        ({"CONVEX_DEPLOY_KEY": "prod:calm-lynx-42|0123456789abcdef"}, "CONVEX_DEPLOY_KEY from environment"),
    ],
    ids=["self-hosted", "deployment", "deploy key"],
)
def test_a_url_flag_for_another_deployment_borrows_no_name_or_kind(
    tmp_path: Path, environ: dict[str, str], setting: str
) -> None:
    found = find_dashboard("http://127.0.0.1:9", flagged(tmp_path, "http://127.0.0.1:9", **environ), None)

    sure = "may be" if "DEPLOY_KEY" in setting else "is"  # no URL in the settings to compare with
    assert found == Dashboard(
        None,
        "no deployment name to look up for --url's URL (not a *.convex.cloud URL; "
        f"{setting} {sure} for another deployment)",
    )


def test_a_url_flag_for_the_settings_deployment_keeps_its_dashboard(tmp_path: Path) -> None:
    self_hosted = {"CONVEX_SELF_HOSTED_URL": "http://127.0.0.1:3210"}
    cloud = {"CONVEX_DEPLOYMENT": "dev:happy-otter-123", "CONVEX_URL": "https://api.example.com"}

    same_backend = find_dashboard(
        "http://127.0.0.1:3210/", flagged(tmp_path, "http://127.0.0.1:3210/", **self_hosted), None
    )
    same_cloud = find_dashboard(
        "https://api.example.com", flagged(tmp_path, "https://api.example.com", **cloud), None
    )

    assert same_backend.url is None and same_backend.why.startswith(
        "a self-hosted deployment (CONVEX_SELF_HOSTED_URL from environment) has no dashboard"
    )
    assert same_cloud == Dashboard(
        "https://dashboard.convex.dev/d/happy-otter-123", "from CONVEX_DEPLOYMENT from environment"
    )


def test_ping_with_a_url_elsewhere_describes_the_url_pinged(project: Path) -> None:
    env = app_env(CONVEX_SELF_HOSTED_URL="http://127.0.0.1:3210", CONVEX_SELF_HOSTED_ADMIN_KEY="k")
    args = ("convex", "ping", "--timeout", "1")

    elsewhere = run_app(*args, "--url", "http://127.0.0.1:9", cwd=project, env=env)
    same = run_app(*args, "--url", "http://127.0.0.1:3210", "--json", cwd=project, env=env)

    assert elsewhere.returncode == 4
    assert (
        "dashboard  none: no deployment name to look up for --url's URL (not a *.convex.cloud URL; "
        "CONVEX_SELF_HOSTED_URL from environment is for another deployment)"
    ) in elsewhere.stdout
    assert (
        "a self-hosted deployment (CONVEX_SELF_HOSTED_URL from environment)"
        in same.json()["dashboard"]["why"]
    )
