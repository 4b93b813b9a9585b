"""The local hub's isolation as data: system user names derived from hub names, and the
cgroups found from /proc/self/mountinfo and /proc/self/cgroup (fake trees in a temporary
folder: what the hub writes for a user on cgroup v2 and v1, and why it falls back)."""

from __future__ import annotations

import re

import pytest

from hub_config.authenticators import HubConfigError
from hub_config.cgroups import CgroupLimits, detect
from hub_config.system_users import MAX_NAME, check_prefix, comment, system_name

SAFE = re.compile(r"[a-z][a-z0-9_-]*")


@pytest.mark.parametrize(
    "hub_name", ["alice", "Bob", "o.brien", "x" * 60, "ü", "root", "a:b\nc", "../etc", "-", ""]
)
def test_system_names_are_safe_distinct_and_short(hub_name):
    name = system_name(hub_name)
    assert SAFE.fullmatch(name) and name.startswith("cryogen-") and len(name) <= MAX_NAME
    assert ":" not in comment(hub_name) and "\n" not in comment(hub_name)


def test_a_safe_hub_name_keeps_its_name_and_others_get_a_hash():
    assert system_name("alice") == "cryogen-alice"
    assert system_name("o.brien") != system_name("o-brien") == "cryogen-o-brien"
    assert system_name("x" * 60) != system_name("x" * 61)


@pytest.mark.parametrize("prefix", ["", "1x-", "Cryo-", "a b", "a" * 17])
def test_unusable_prefixes_are_refused(prefix):
    with pytest.raises(HubConfigError, match="CRYOGEN_HUB_USER_PREFIX"):
        check_prefix(prefix)


def _mountinfo(tmp_path, v1: bool) -> str:
    lines = [f"30 23 0:27 / {tmp_path / 'unified'} rw - cgroup2 cgroup2 rw"]
    if v1:
        lines += [
            f"35 31 0:32 / {tmp_path / 'memory'} rw,relatime - cgroup cgroup rw,memory",
            f"32 31 0:29 / {tmp_path / 'cpu'} rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        ]
    return "\n".join(lines)


def test_cgroup_v2_with_memory_and_cpu_is_used_first(tmp_path):
    own = tmp_path / "unified" / "hub.service"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (own / "cgroup.subtree_control").write_text("cpu memory\n")
    limits, why = detect(_mountinfo(tmp_path, v1=True), "0::/hub.service\n4:memory:/\n")
    assert (limits, why) == (CgroupLimits(2, own, own), "")
    (d,) = limits.create("cryogen-alice", 8 * 1024**3, 1.5)
    assert (d / "memory.max").read_text() == str(8 * 1024**3)
    assert (d / "cpu.max").read_text() == "150000 100000"  # 1.5 CPU of a 100 ms period


def test_cgroup_v1_when_v2_has_no_controllers(tmp_path):
    (tmp_path / "unified").mkdir()
    for name in ("cgroup.controllers", "cgroup.subtree_control"):
        (tmp_path / "unified" / name).write_text("")
    (tmp_path / "memory" / "agents" / "a1").mkdir(parents=True)
    (tmp_path / "cpu").mkdir()
    limits, why = detect(
        _mountinfo(tmp_path, v1=True), "4:memory:/agents/a1\n1:cpu,cpuacct:/\n0::/\n"
    )
    assert why == "" and limits.version == 1
    assert limits.memory_dir == tmp_path / "memory" / "agents" / "a1"  # the hub's own cgroup
    memory, cpu = limits.create("cryogen-carol", 4 * 1024**3, 1.0)
    assert (memory / "memory.limit_in_bytes").read_text() == str(4 * 1024**3)
    assert (cpu / "cpu.cfs_quota_us").read_text() == "100000"
    assert (cpu / "cpu.cfs_period_us").read_text() == "100000"


def test_no_usable_cgroup_says_why_for_both_versions(tmp_path):
    (tmp_path / "unified").mkdir()
    for name in ("cgroup.controllers", "cgroup.subtree_control"):
        (tmp_path / "unified" / name).write_text("")
    limits, why = detect(_mountinfo(tmp_path, v1=False), "0::/\n")
    assert limits is None
    assert "not memory and cpu" in why and "cgroup v1 memory controller is not mounted" in why
