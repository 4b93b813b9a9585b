"""The numba cache a local hub's kernels share (DESIGN.md, Scale): prewarmed by the hub
before the first server starts and read-only to the users.

:class:`SharedNumbaCache` runs the shipped examples through the ``cryogen`` CLI in a child
process with ``NUMBA_CACHE_DIR=folder`` (steady state of every template design, a short
cooldown, the field of every example coil), which compiles the kernels they use into the
folder; then the folder is made the hub's (root's) with directories 0755 and files 0644.
Kernels, which run as their own users, load from it and cannot add to it
(``solver._numba``).

    NUMBA_CACHE_DIR=FOLDER python -m hub_config.numba_cache    # what the hub runs
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from cryogen_templates import DESIGNS_DIR

COOLDOWN_EXAMPLE = "two-stage-pt420.cryo.json"


def workload() -> list[list[str]]:
    """The ``cryogen`` command lines whose kernels the cache holds."""
    runs = [["solve", str(p), "--json"] for p in sorted(DESIGNS_DIR.glob("*.cryo.json"))]
    runs.append(["cooldown", str(DESIGNS_DIR / COOLDOWN_EXAMPLE), "--json", "--max-seconds", "5"])
    runs += [
        ["field", str(p), "--points=0,0,0;0.01,0.02,0.03", "--json"]
        for p in sorted((DESIGNS_DIR / "coils").glob("*.coil.json"))
    ]
    return runs


def seal(folder: Path) -> None:
    """Give ``folder`` and everything in it to this process's user, directories 0755 and
    files 0644 (nobody else may add or change a compiled kernel)."""
    uid, gid = os.geteuid(), os.getegid()
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            path = Path(root) / name
            os.lchown(path, uid, gid)
            os.chmod(path, 0o755 if name in dirs else 0o644)
    os.chown(folder, uid, gid)
    os.chmod(folder, 0o755)


class SharedNumbaCache:
    """The kernels' numba cache in ``folder``, prewarmed by a child process of ``python``
    (the kernels' interpreter) that the hub starts (:meth:`start`, at hub start) and sealed
    once it is done (:meth:`ready`, before the first spawn). The child's output goes to
    ``log_path``."""

    def __init__(self, folder: Path, log_path: Path, python: str):
        self.folder = folder
        self.log_path = log_path
        self.python = python
        self._child: subprocess.Popen | None = None
        self._sealed = False

    def start(self) -> None:
        """Start prewarming (once; does not wait)."""
        if self._child is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "w") as log:
            self._child = subprocess.Popen(
                [self.python, "-m", "hub_config.numba_cache"],
                env={**os.environ, "NUMBA_CACHE_DIR": str(self.folder)},
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=str(Path(__file__).resolve().parent.parent),
            )

    async def ready(self) -> None:
        """Wait for the prewarm (starting it if need be), then seal the folder."""
        self.start()
        assert self._child is not None
        while self._child.poll() is None:
            await asyncio.sleep(0.5)
        if not self._sealed:
            seal(self.folder)
            self._sealed = True


_SHARED: dict[Path, SharedNumbaCache] = {}


def shared_cache(folder: Path, log_path: Path, python: str) -> SharedNumbaCache:
    """The one :class:`SharedNumbaCache` of ``folder`` in this process, prewarmed by the
    kernels' ``python`` (the hub's configuration is copied into each spawner; a running
    prewarm must not be)."""
    if folder not in _SHARED:
        _SHARED[folder] = SharedNumbaCache(folder, log_path, python)
    return _SHARED[folder]


def main() -> int:
    """Run :func:`workload` in this process (``NUMBA_CACHE_DIR`` set by the caller)."""
    os.nice(19)  # the hub and its services start first
    from cryogen_widgets.cli import main as cryogen

    for args in workload():
        with contextlib.redirect_stdout(io.StringIO()):
            code = cryogen(args)
        print(f"cryogen {' '.join(args[:2])}: exit {code}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
