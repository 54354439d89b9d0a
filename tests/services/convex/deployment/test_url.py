"""Deployment URLs: every rule said in our own words, never in urllib's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.services.config.settings import Settings
from cli.services.convex.deployment.url import deployment_url, url_problem
from cli.shared.errors import ConfigError, ExitCode
from tests.support.project import app_env, run_app

# What urllib.parse and ipaddress say; none of it may reach the user.
URLLIB_WORDS = ("cast to integer", "0-65535", "Invalid IPv6", "does not appear to be", "NFKC", "netloc")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:1:3210", "its port, '1:3210', is not a number"),
        ("http://127.0.0.1:99999", "its port must be a number from 1 to 65535, not 99999"),
        ("http://127.0.0.1:0", "its port must be a number from 1 to 65535, not 0"),
        ("http://h:-1", "its port, '-1', is not a number"),
        ("http://h:0x10", "its port, '0x10', is not a number"),
        ("http://h:\uff11\uff12", "its port, '\uff11\uff12', is not a number"),
        ("http://[::1", "the ] that closes its IPv6 address in [brackets] is missing"),
        ("http://[::1/x", "the ] that closes its IPv6 address in [brackets] is missing"),
        ("http://::1]", "it has a ] with no [ before it to open an IPv6 address"),
        ("http://a]b[", "it has a ] with no [ before it to open an IPv6 address"),
        ("http://[not-ip]:1", "its host in [brackets] is not an IPv6 address"),
        ("http://[v1.x]", "its host in [brackets] is not an IPv6 address"),
        ("http://[::1]x:1", "it has text between the ] of its IPv6 address and the port"),
        ("http://[::1]:99999", "its port must be a number from 1 to 65535, not 99999"),
        ("http://h\u2100:1", "its host has characters that a host name cannot have"),
        ("http://h\x01:1", "it contains control characters"),
        ("not a url", "it contains spaces"),
        ("happy-otter-123.convex.cloud", "it must start with http:// or https://"),
        ("http://", "it has no host"),
    ],
)
def test_what_is_wrong_in_our_words(url: str, problem: str) -> None:
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:3210", "https://happy-otter-123.convex.cloud/", "http://[::1]:3210"]
)
def test_deployment_urls_pass(url: str) -> None:
    assert url_problem(url) is None


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "http://[", "http://h:", "http://[::1]:", ""]),
    st.text(st.sampled_from(list("h1:[]@%.-/?#x\u2100\uff11 0")), max_size=12),
)
def test_no_url_gets_a_message_of_urllib(start: str, rest: str) -> None:
    problem = url_problem(start + rest)  # never raises either

    assert problem is None or not any(words in problem for words in URLLIB_WORDS)


def test_a_bad_convex_url_is_one_line_and_a_hint(tmp_path: Path) -> None:
    configured = Settings(tmp_path, environ={"CONVEX_URL": "http://127.0.0.1:1:3210"})

    with pytest.raises(ConfigError) as raised:
        deployment_url(configured)

    assert raised.value.message == (
        "CONVEX_URL from environment is not a deployment URL: 'http://127.0.0.1:1:3210' "
        "(its port, '1:3210', is not a number)"
    )
    assert str(raised.value.hint).startswith("Set CONVEX_URL to the deployment's URL alone")


def test_a_bad_url_from_a_flag_is_fixed_with_the_flag(tmp_path: Path) -> None:
    flagged = Settings(
        tmp_path,
        environ={"CONVEX_URL": "http://127.0.0.1:3210"},
        flags={"CONVEX_URL": ("--url", "htp:/nope com")},
    )

    with pytest.raises(ConfigError) as raised:
        deployment_url(flagged)

    assert (
        raised.value.message
        == "CONVEX_URL from --url is not a deployment URL: 'htp:/nope com' (it contains spaces)"
    )
    assert raised.value.hint == (
        "Pass --url the deployment's URL alone, e.g. https://happy-otter-123.convex.cloud or http://127.0.0.1:3210"
    )


def test_ping_says_to_pass_url_the_deployments_url(tmp_path: Path) -> None:
    result = run_app("convex", "ping", "--url", "htp:/nope com", cwd=tmp_path)
    from_env = run_app("convex", "ping", cwd=tmp_path, env=app_env(CONVEX_URL="htp:/nope com"))

    assert (result.returncode, from_env.returncode) == (ExitCode.CONFIG, ExitCode.CONFIG)
    assert result.stderr.splitlines()[1].startswith("hint: Pass --url the deployment's URL alone, e.g. ")
    assert from_env.stderr.splitlines()[1].startswith("hint: Set CONVEX_URL to the deployment's URL alone")
