"""Every environment variable the project reads, declared once.

The `.env.example` check, the settings loader and the docs all use this list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    purpose: str
    set_by: str
    secret: bool = False
    required: bool = False  # .env.example must document it, or the check fails


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "CONVEX_URL",
        "URL of the Convex deployment the app's client and `app convex ping` talk to",
        "`npx convex dev` (via `app convex dev`) writes it to .env.local; set it yourself for "
        "a deployment you did not start",
        required=True,
    ),
    Variable(
        "CONVEX_DEPLOYMENT",
        "which deployment `convex dev` pushes to (e.g. dev:happy-otter-123)",
        "`npx convex dev` writes it to .env.local when you log in and pick a project",
    ),
    Variable(
        "CONVEX_DEPLOY_KEY",
        "deploy key for pushing without logging in (CI); never commit it",
        "you, from the Convex dashboard, as a CI secret",
        secret=True,
    ),
    Variable(
        "CONVEX_SELF_HOSTED_URL",
        "URL of a self-hosted Convex backend to push to",
        "you, when you run the backend yourself",
    ),
    Variable(
        "CONVEX_SELF_HOSTED_ADMIN_KEY",
        "admin key of that self-hosted backend; never commit it",
        "you, from the self-hosted backend's generate_admin_key script",
        secret=True,
    ),
)

SECRET_NAMES = frozenset(v.name for v in VARIABLES if v.secret)
