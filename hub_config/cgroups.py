"""Memory and CPU limits of a local hub's servers as cgroups: one child cgroup per user,
created under the hub's own cgroup (never elsewhere in the tree).

cgroup v2 is used where the unified hierarchy gives the hub's cgroup both the ``memory``
and ``cpu`` controllers for its children; otherwise cgroup v1's ``memory`` and ``cpu``
hierarchies. Where neither can be written (the hub is not root, or its cgroup is not
delegated) :func:`detect` says why and the spawner falls back to per-process rlimits.

A server joins its cgroup before it drops root (``join`` in the spawner's pre-exec), so
the user cannot leave it: every ``cgroup.procs`` file belongs to root.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

CPU_PERIOD_US = 100_000
"""CFS scheduling period the CPU quota is expressed in, µs (the kernel's default period)."""


@dataclass(frozen=True)
class Mount:
    """One cgroup mount of ``/proc/self/mountinfo``."""

    root: str  # the mounted subtree of the hierarchy
    point: Path  # where it is mounted
    version: int  # 1 or 2
    controllers: frozenset[str]  # v1: from the mount options; v2: empty (read per cgroup)


def read_mounts(mountinfo: str) -> list[Mount]:
    """The cgroup mounts listed in the text of ``/proc/self/mountinfo``."""
    mounts = []
    for line in mountinfo.splitlines():
        fields, _, tail = line.partition(" - ")
        parts, extra = fields.split(), tail.split()
        if len(parts) < 5 or len(extra) < 3 or extra[0] not in ("cgroup", "cgroup2"):
            continue
        options = frozenset(extra[2].split(","))
        version = 2 if extra[0] == "cgroup2" else 1
        mounts.append(
            Mount(parts[3], Path(parts[4]), version, options if version == 1 else frozenset())
        )
    return mounts


def read_membership(proc_cgroup: str) -> dict[str, str]:
    """Controller (``""`` for v2) -> this process's cgroup path, from ``/proc/self/cgroup``."""
    out = {}
    for line in proc_cgroup.splitlines():
        _, _, rest = line.partition(":")
        names, _, path = rest.partition(":")
        for name in names.split(",") if names else [""]:
            out[name] = path
    return out


def _own_dir(mount: Mount, path: str) -> Path | None:
    """Where the cgroup ``path`` of the hierarchy appears under ``mount`` (None: not visible)."""
    rel = os.path.relpath(path, mount.root)
    if rel.startswith(".."):
        return None
    return (mount.point / rel).resolve() if rel != "." else mount.point


@dataclass(frozen=True)
class CgroupLimits:
    """Creates, limits, joins and removes the users' cgroups under the hub's own cgroup.

    ``memory_dir`` and ``cpu_dir`` are the hub's cgroup in the hierarchy of each
    controller (the same directory on cgroup v2).
    """

    version: int
    memory_dir: Path
    cpu_dir: Path

    def dirs(self, name: str) -> list[Path]:
        """The user's cgroup directories (one on v2, one per controller on v1)."""
        return list(dict.fromkeys([self.memory_dir / name, self.cpu_dir / name]))

    def create(self, name: str, mem_bytes: int, cpu_limit: float) -> list[Path]:
        """The cgroup ``name`` with ``mem_bytes`` of memory (0: no limit) and ``cpu_limit``
        CPUs (0: no limit); returns its directories (for :meth:`join`)."""
        for d in self.dirs(name):
            d.mkdir(exist_ok=True)
        quota = round(cpu_limit * CPU_PERIOD_US) if cpu_limit else 0
        if self.version == 2:
            d = self.memory_dir / name
            _write(d / "memory.max", str(mem_bytes) if mem_bytes else "max")
            _write(d / "cpu.max", f"{quota or 'max'} {CPU_PERIOD_US}")
        else:
            _write(self.memory_dir / name / "memory.limit_in_bytes", str(mem_bytes or -1))
            _write(self.cpu_dir / name / "cpu.cfs_period_us", str(CPU_PERIOD_US))
            _write(self.cpu_dir / name / "cpu.cfs_quota_us", str(quota or -1))
        return self.dirs(name)

    def remove(self, name: str) -> None:
        """Kill what is left in the user's cgroup (kernels the server left behind) and
        remove it."""
        for d in self.dirs(name):
            if not d.is_dir():
                continue
            for _ in range(50):
                pids = [int(p) for p in (d / "cgroup.procs").read_text().split()]
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.05)
            with contextlib.suppress(OSError):
                d.rmdir()


def join(dirs: list[Path]) -> None:
    """Move the calling process into the cgroup ``dirs`` (run in the child, before it drops
    root)."""
    for d in dirs:
        _write(d / "cgroup.procs", str(os.getpid()))


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _probe(parent: Path) -> str:
    """ "" when a child cgroup can be made and removed under ``parent``; else why not."""
    probe = parent / f"cryogen-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        return f"cannot create a child of {parent}: {exc.strerror}"
    return ""


def _v2(mounts: list[Mount], member: dict[str, str]) -> tuple[CgroupLimits | None, str]:
    mount = next((m for m in mounts if m.version == 2), None)
    if mount is None or "" not in member:
        return None, "cgroup v2 is not mounted"
    own = _own_dir(mount, member[""])
    if own is None:
        return None, f"the hub's cgroup v2 {member['']} is outside {mount.point}"
    try:
        available = set((own / "cgroup.controllers").read_text().split())
        enabled = set((own / "cgroup.subtree_control").read_text().split())
    except OSError as exc:
        return None, f"cannot read the cgroup v2 {own}: {exc.strerror}"
    if not {"memory", "cpu"} <= available:
        return None, (
            f"cgroup v2 at {mount.point} gives {own} the controllers "
            f"{', '.join(sorted(available)) or 'none'}, not memory and cpu"
        )
    if not {"memory", "cpu"} <= enabled:
        try:
            _write(own / "cgroup.subtree_control", "+memory +cpu")
        except OSError as exc:
            return None, (
                f"cannot enable memory and cpu for the children of {own}: {exc.strerror} "
                "(delegate the hub its own cgroup, e.g. systemd Delegate=yes)"
            )
    why = _probe(own)
    return (CgroupLimits(2, own, own), "") if not why else (None, why)


def _v1(mounts: list[Mount], member: dict[str, str]) -> tuple[CgroupLimits | None, str]:
    dirs = {}
    for controller in ("memory", "cpu"):
        mount = next((m for m in mounts if controller in m.controllers), None)
        if mount is None or controller not in member:
            return None, f"the cgroup v1 {controller} controller is not mounted"
        own = _own_dir(mount, member[controller])
        if own is None:
            return None, f"the hub's cgroup v1 {controller} cgroup is outside {mount.point}"
        why = _probe(own)
        if why:
            return None, why
        dirs[controller] = own
    return CgroupLimits(1, dirs["memory"], dirs["cpu"]), ""


def detect(
    mountinfo: str | None = None, proc_cgroup: str | None = None
) -> tuple[CgroupLimits | None, str]:
    """The cgroups the hub can limit its users with, v2 before v1; else None and why not
    (both reasons). Reads ``/proc/self/mountinfo`` and ``/proc/self/cgroup`` unless given."""
    mounts = read_mounts(mountinfo or Path("/proc/self/mountinfo").read_text())
    member = read_membership(proc_cgroup or Path("/proc/self/cgroup").read_text())
    limits, why_not_v2 = _v2(mounts, member)
    if limits:
        return limits, ""
    limits, why_not_v1 = _v1(mounts, member)
    if limits:
        return limits, ""
    return None, f"{why_not_v2}; {why_not_v1}"
