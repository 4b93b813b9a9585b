"""One system user per hub user, for the local spawner: created on the first spawn, with a
private home outside the hub's data directory.

The system name is the hub name behind a prefix (``cryogen-alice``) when the hub name is
already a safe user name, else its safe part and a hash of the whole name
(``cryogen-o-brien-3f1c2a9b``), at most 32 characters (the limit of ``useradd``). An
account is only ever used when the hub created it: its comment field names the hub user,
so a name that happens to exist already (or two hub names meeting in one system name) is
refused instead of shared.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

from hub_config.authenticators import HubConfigError

MAX_NAME = 32
"""Longest system user name ``useradd`` accepts (shadow-utils' default)."""
_SAFE = re.compile(r"[a-z][a-z0-9_-]*")
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def check_prefix(prefix: str) -> str:
    """``prefix`` when it can start a system user name (a letter, then letters, digits,
    ``-`` or ``_``; at most 16 characters), else HubConfigError."""
    if not _SAFE.fullmatch(prefix) or len(prefix) > 16:
        raise HubConfigError(
            f"CRYOGEN_HUB_USER_PREFIX={prefix!r}: start with a lower-case letter, then only "
            "a-z, 0-9, '-' or '_', at most 16 characters"
        )
    return prefix


def system_name(hub_name: str, prefix: str = "cryogen-") -> str:
    """The system user name of the hub user ``hub_name``."""
    name = prefix + hub_name
    if _SAFE.fullmatch(hub_name) and len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(hub_name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    safe = _UNSAFE.sub("-", hub_name.lower()).strip("-")
    stem = safe[: MAX_NAME - len(prefix) - len(digest) - 1].strip("-")
    return f"{prefix}{stem}-{digest}" if stem else f"{prefix}{digest}"


def comment(hub_name: str) -> str:
    """The comment (GECOS) field that marks an account as this hub user's."""
    return f"CryoGen hub user {quote(hub_name, safe='')}"[:200]  # no ':' or newline


def ensure(hub_name: str, home_root: Path, prefix: str = "cryogen-") -> pwd.struct_passwd:
    """The hub user's system account, created (with ``useradd``, home ``home_root/<name>``
    mode 0700, own group, no password) when it does not exist yet.

    Raises
    ------
    HubConfigError
        The name belongs to an account the hub did not create for this user, or it is root.
    """
    name = system_name(hub_name, prefix)
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        account = _create(name, hub_name, home_root / name)
    if account.pw_gecos != comment(hub_name) or account.pw_uid == 0:
        raise HubConfigError(
            f"system user {name!r} exists but was not created by the hub for {hub_name!r}; "
            "remove it or choose another CRYOGEN_HUB_USER_PREFIX"
        )
    return account


def _create(name: str, hub_name: str, home: Path) -> pwd.struct_passwd:
    home.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
         "--user-group", "--comment", comment(hub_name), name],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if made.returncode != 0:
        raise HubConfigError(f"useradd {name} failed: {made.stderr.strip()}")
    os.chmod(home, 0o700)
    return pwd.getpwnam(name)


def check_everyone_can_use(path: Path, variable: str) -> None:
    """HubConfigError unless every user may reach and read ``path`` (as given and after
    symlinks): each folder on the way searchable by others, the file itself readable (and,
    if it is executable for its owner, executable) by others."""
    real = path.resolve()
    folders = dict.fromkeys([*reversed(path.absolute().parents), *reversed(real.parents)])
    for folder in folders:
        if not folder.stat().st_mode & 0o001:
            raise HubConfigError(
                f"{path} (= {real}) cannot be used by the users' system accounts: {folder} is "
                f"mode {folder.stat().st_mode & 0o777:o}. Install CryoGen and its Python where "
                f"every user can read them, or set {variable}"
            )
    mode = real.stat().st_mode
    if not mode & 0o004 or (mode & 0o100 and not mode & 0o001):
        raise HubConfigError(f"{real} is mode {mode & 0o777:o}: every user must be able to use it")
