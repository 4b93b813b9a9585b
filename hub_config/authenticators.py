"""Sign-in: GitHub or Google OAuth (oauthenticator), or the dummy authenticator for tests
and a laptop. Chosen by ``CRYOGEN_AUTHENTICATOR``; secrets only from the environment."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

OAUTH_KINDS = {"github": "github", "google": "google"}


class HubConfigError(RuntimeError):
    """The hub's environment is incomplete; says which variable to set."""


def split_list(value: str | None) -> set[str]:
    """The non-empty, stripped items of a comma-separated environment value."""
    return {v.strip() for v in (value or "").split(",") if v.strip()}


DEFAULT_DUMMY_PASSWORD = "change-me"
"""The password ``make hub`` uses when ``CRYOGEN_DUMMY_PASSWORD`` is not set."""

LOOPBACK = "127.0.0.1"


def check_dummy_exposure(env: Mapping[str, str], ip: str) -> None:
    """HubConfigError when the dummy sign-in (any name) would listen beyond this machine
    with the default password or none: a hub on another address needs its own password
    (or OAuth)."""
    if env.get("CRYOGEN_AUTHENTICATOR", "") != "dummy" or ip == LOOPBACK:
        return
    password = env.get("CRYOGEN_DUMMY_PASSWORD", "")
    if password in ("", DEFAULT_DUMMY_PASSWORD):
        raise HubConfigError(
            f"the dummy sign-in accepts any user name: on {ip} (not {LOOPBACK}) set "
            "CRYOGEN_DUMMY_PASSWORD to a password of your own, or use "
            "CRYOGEN_AUTHENTICATOR=github/google"
        )


def configure_authenticator(c, env: Mapping[str, str]) -> str:
    """Set ``c``'s authenticator from ``env``; returns the kind chosen.

    ``CRYOGEN_AUTHENTICATOR``: ``github`` | ``google`` (need ``OAUTH_CLIENT_ID``,
    ``OAUTH_CLIENT_SECRET``, ``OAUTH_CALLBACK_URL``; optional
    ``CRYOGEN_GITHUB_ORGS`` / ``CRYOGEN_GOOGLE_DOMAINS``) or ``dummy`` (any name,
    the password ``CRYOGEN_DUMMY_PASSWORD`` if set). ``CRYOGEN_ALLOWED_USERS`` and
    ``CRYOGEN_ADMIN_USERS`` are comma lists.
    """
    kind = env.get("CRYOGEN_AUTHENTICATOR", "")
    admins = split_list(env.get("CRYOGEN_ADMIN_USERS"))
    allowed = split_list(env.get("CRYOGEN_ALLOWED_USERS"))
    c.Authenticator.admin_users = admins
    if allowed:
        c.Authenticator.allowed_users = allowed
    if kind == "dummy":
        c.JupyterHub.authenticator_class = "dummy"
        if env.get("CRYOGEN_DUMMY_PASSWORD"):
            c.DummyAuthenticator.password = env["CRYOGEN_DUMMY_PASSWORD"]
        if not allowed:
            c.Authenticator.allow_all = True
        return kind
    if kind not in OAUTH_KINDS:
        raise HubConfigError(
            f"CRYOGEN_AUTHENTICATOR must be one of github, google, dummy; got {kind!r}"
        )
    if importlib.util.find_spec("oauthenticator") is None:
        raise HubConfigError(
            f"CRYOGEN_AUTHENTICATOR={kind} needs the oauthenticator package: "
            "pip install oauthenticator"
        )
    missing = [
        v
        for v in ("OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET", "OAUTH_CALLBACK_URL")
        if not env.get(v)
    ]
    if missing:
        raise HubConfigError(f"CRYOGEN_AUTHENTICATOR={kind} needs {', '.join(missing)}")
    c.JupyterHub.authenticator_class = OAUTH_KINDS[kind]
    c.OAuthenticator.client_id = env["OAUTH_CLIENT_ID"]
    c.OAuthenticator.client_secret = env["OAUTH_CLIENT_SECRET"]
    c.OAuthenticator.oauth_callback_url = env["OAUTH_CALLBACK_URL"]
    orgs = split_list(env.get("CRYOGEN_GITHUB_ORGS"))
    domains = split_list(env.get("CRYOGEN_GOOGLE_DOMAINS"))
    if kind == "github" and orgs:
        c.GitHubOAuthenticator.allowed_organizations = orgs
    if kind == "google" and domains:
        c.GoogleOAuthenticator.hosted_domain = sorted(domains)
    if not (allowed or orgs or domains):
        raise HubConfigError(
            f"CRYOGEN_AUTHENTICATOR={kind}: say who may sign in with CRYOGEN_ALLOWED_USERS"
            + (", CRYOGEN_GITHUB_ORGS" if kind == "github" else ", CRYOGEN_GOOGLE_DOMAINS")
        )
    return kind
