"""Which deployment `convex dev` will push to, and where that choice came from.

Mirrors the Convex CLI's selection (src/cli/lib/deploymentSelection.ts): a deploy key
wins; otherwise a self-hosted URL and admin key, or CONVEX_DEPLOYMENT; with none of
them, the no-account local deployment when asked for (CONVEX_AGENT_MODE=anonymous) or
when there is no terminal to ask on. A self-hosted URL must be a deployment URL, as
CONVEX_URL must (url.py): the CLI would only fail on it later, in words of node's.
"""

from __future__ import annotations

from dataclasses import dataclass

from cli.services.config.settings import Settings
from cli.services.convex.deployment.keys import deploy_key_deployment, deploy_key_kind
from cli.services.convex.deployment.url import require_url
from cli.shared.errors import ConfigError

SELF_HOSTED_EXAMPLE = "http://127.0.0.1:3210"  # the self-hosted backend's default address


@dataclass(frozen=True)
class Target:
    kind: str  # deploy-key, self-hosted, deployment, local, ask
    description: str
    production: bool = False
    warnings: tuple[str, ...] = ()
    url: str | None = None  # the self-hosted backend's URL
    key: str | None = None  # which setting holds the key it authenticates with, and its source
    deployment: str | None = None  # CONVEX_DEPLOYMENT, when that selects the deployment


def deployment_target(settings: Settings, *, local: bool, interactive: bool) -> Target:
    warnings = settings.warning_lines()
    deploy_key = settings.get("CONVEX_DEPLOY_KEY")
    self_hosted = settings.get("CONVEX_SELF_HOSTED_URL")
    admin_key = settings.get("CONVEX_SELF_HOSTED_ADMIN_KEY")
    deployment = settings.get("CONVEX_DEPLOYMENT")
    configured = deploy_key or self_hosted or deployment
    if local and configured:
        warnings.append(
            f"--local has no effect: {configured.describe()} selects the deployment "
            "(Convex uses the local one only when nothing is configured)"
        )
    if deploy_key is not None:
        kind = deploy_key_kind(deploy_key.text)
        names = {
            "prod": "a production deployment",
            "dev": "a development deployment",
            "preview": "a preview deployment",
            "project": "a deployment of its project",
        }
        production = kind == "prod"
        if production:
            warnings.append(
                "CONVEX_DEPLOY_KEY is a production key: `convex dev` will push this code to production"
            )
        keyed = deploy_key_deployment(deploy_key.text)
        if keyed and deployment is not None and keyed.split(":", 1)[1] != deployment.text.split(":")[-1]:
            # The CLI lets the key win without a word (deploymentSelection.ts).
            warnings.append(
                f"CONVEX_DEPLOY_KEY is for {keyed}, but {deployment.describe()} names "
                f"{deployment.text}: convex dev will push to {keyed}"
            )
        return Target(
            "deploy-key",
            f"{names.get(kind, 'the deployment of a deploy key')} ({deploy_key.describe()})",
            production,
            tuple(warnings),
            key=deploy_key.describe(),
        )
    if self_hosted is not None:
        if admin_key is None:
            raise ConfigError(
                f"{self_hosted.describe()} is set but CONVEX_SELF_HOSTED_ADMIN_KEY is not",
                "Set CONVEX_SELF_HOSTED_ADMIN_KEY (from the backend's generate_admin_key script) "
                "in .env.local, or unset CONVEX_SELF_HOSTED_URL.",
            )
        if deployment is not None:
            raise ConfigError(
                f"both {self_hosted.describe()} and {deployment.describe()} are set",
                "Keep one: a self-hosted backend (CONVEX_SELF_HOSTED_*) or a Convex cloud deployment.",
            )
        # The CLI would pass it to fetch(), which fails with "TypeError: Failed to parse URL".
        require_url(
            self_hosted,
            "Set CONVEX_SELF_HOSTED_URL to the self-hosted backend's URL alone, e.g. "
            f"{SELF_HOSTED_EXAMPLE} (the backend's port, not the dashboard's)",
        )
        return Target(
            "self-hosted",
            f"the self-hosted backend at {self_hosted.text} ({self_hosted.describe()})",
            warnings=tuple(warnings),
            url=self_hosted.text,
            key=admin_key.describe(),
        )
    if deployment is not None:
        return Target(
            "deployment",
            f"deployment {deployment.text} ({deployment.describe()})",
            deployment.text.startswith("prod:"),
            tuple(warnings),
            deployment=deployment.describe(),
        )
    if local or not interactive:
        why = "--local" if local else "nothing is configured and there is no terminal to ask on"
        return Target("local", f"Convex's local no-account deployment ({why})", warnings=tuple(warnings))
    return Target(
        "ask",
        "no deployment configured yet: Convex will ask you to log in or to use a local deployment",
        warnings=tuple(warnings),
    )
