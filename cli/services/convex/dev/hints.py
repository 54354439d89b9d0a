"""What went wrong in `convex dev`, from what it printed and the settings in force.

The messages are those of the pinned CLI (npm convex 1.48.0, node_modules/convex/src/cli/):
- every HTTP 401 ends with "Authenticate with `npx convex dev`" (lib/utils/utils.ts,
  ThrowingFetchError), also for a self-hosted backend or a deploy key, where logging in does
  not help; a rejected key reads "401 Unauthorized: BadAdminKey" (from the backend) or
  "AuthenticationFailed" (from Convex's management API, for a deploy key);
- without a login, CONVEX_DEPLOYMENT starts the login flow: "let's get you logged in"
  (lib/login.ts), which fails without a terminal: "Cannot prompt for input in
  non-interactive terminals" (lib/utils/prompts.ts);
- a local backend's port: "A local backend is still running on port N", "A different local
  backend NAME is running on selected port N", "Requested port N is not available"
  (lib/localDeployment/run.ts and utils.ts).
"""

from __future__ import annotations

import re

from cli.services.convex.deployment.target import Target

Hint = tuple[str, str]  # what went wrong, what to do

REJECTED_KEY = re.compile(r"401 Unauthorized: (BadAdminKey|AuthenticationFailed)|Invalid Convex deploy key")
LOGIN = re.compile(r"let's get you logged in|You are not logged in|requires (being )?logg(ed|ing) in")
PORT_TAKEN = re.compile(
    r"A local backend is still running on port (\d+)"
    r"|A different local backend \S+ is running on selected port (\d+)"
    r"|Requested port (\d+) is not available"
)
NODE_TOO_OLD = re.compile(r"Your Node version \S+ is too old")
NO_DOWNLOAD = re.compile(
    r"Failed to fetch latest backend version|Failed to download|Hit an error while running local"
)
NO_TERMINAL = re.compile(r"Cannot prompt for input in non-interactive terminals")


def explain(text: str, target: Target) -> Hint | None:
    """The cause `convex dev`'s output shows, named for the settings in force; None if unknown."""
    if NODE_TOO_OLD.search(text):
        return "node is too old for the convex CLI", "Install Node.js 20 or newer, then run `make setup`."
    if REJECTED_KEY.search(text):
        return _rejected_key(target)
    if LOGIN.search(text):
        needs = f", which {target.deployment} needs" if target.deployment else ""
        return (
            f"you are not logged in to Convex{needs}",
            "Run `npx convex login` in a terminal (or set CONVEX_DEPLOY_KEY in CI); "
            "`app convex dev --local` needs no account.",
        )
    if match := PORT_TAKEN.search(text):
        port = next(group for group in match.groups() if group)
        return (
            f"port {port} is taken by another local Convex backend",
            f"Stop the other `npx convex dev` (or whatever listens on port {port}), then run this again.",
        )
    if NO_DOWNLOAD.search(text):
        return (
            "the local backend could not be downloaded (it comes from GitHub releases: no network?)",
            "Connect to the internet, or point at a deployment: CONVEX_SELF_HOSTED_URL and "
            "CONVEX_SELF_HOSTED_ADMIN_KEY, or CONVEX_DEPLOYMENT after `npx convex login`.",
        )
    if NO_TERMINAL.search(text):
        return (
            "convex dev needed to ask a question, but there is no terminal to ask on",
            "Run it in a terminal, or configure the deployment first: CONVEX_DEPLOYMENT, "
            "CONVEX_DEPLOY_KEY, CONVEX_SELF_HOSTED_URL, or `app convex dev --local`.",
        )
    return None


def _rejected_key(target: Target) -> Hint:
    """A 401: the CLI's own advice (log in) fits neither a self-hosted backend nor a deploy key."""
    if target.kind == "self-hosted":
        return (
            f"the self-hosted backend at {target.url} rejected its admin key ({target.key})",
            "Set CONVEX_SELF_HOSTED_ADMIN_KEY to an admin key of that backend (its generate_admin_key "
            "script prints one); logging in with `npx convex dev` does not apply to self-hosting.",
        )
    if target.kind == "deploy-key":
        return (
            f"the deployment refused its deploy key ({target.key}): a key of another deployment, "
            "or a revoked one",
            "Copy this deployment's deploy key from its dashboard (Settings, Deploy keys) into "
            "CONVEX_DEPLOY_KEY.",
        )
    return (
        "the deployment refused the credentials convex dev sent",
        "Run `npx convex login` again, or check the key in CONVEX_DEPLOY_KEY.",
    )
