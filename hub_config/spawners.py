"""Kernel sizing from the user's plan, for the local spawner and for KubeSpawner.

The plan comes from the store (billing keeps it current); the spawner gets the
plan's CPU and memory limits and the kernel gets the plan as environment
variables (``cryogen_widgets.store.plans.kernel_environment``) and the store
service's URL (``CRYOGEN_STORE_URL``), never a database URL. Dashboard users
land on the Voilà app, on a server that runs Voilà only (no JupyterLab, notebook or
terminal).
"""

from __future__ import annotations

import math
import os
import pwd
import resource
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.utils import maybe_future
from traitlets import Any as AnyTrait
from traitlets import Unicode

from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.store.plans import Plan, PlanTable, kernel_environment, load_plans
from hub_config import system_users
from hub_config.cgroups import join
from hub_config.numba_cache import SharedNumbaCache, shared_cache


@dataclass(frozen=True)
class SpawnSettings:
    """What the hub decides once, at start-up, for every spawn."""

    store_url: str  # the database: read by the hub only
    app_notebook: Path
    dashboard_users: frozenset[str]
    plans_path: Path | None = None
    service_url: str = ""  # the store service, as kernels reach it
    numba_cache: SharedNumbaCache | None = None  # local spawner: prewarmed from hub start

    @property
    def table(self) -> PlanTable:
        return load_plans(self.plans_path)

    def dashboard_url(self) -> str:
        return f"/voila/render/{self.app_notebook.name}"


VOILA_EXTENSION_ARG = "--ServerApp.jpserver_extensions=cryogen_widgets.voila_extension=True"
"""Every single-user server: Voilà serves the app's template and sets the ``_xsrf`` cookie its
unload beacon needs, so a closed dashboard tab frees its kernel (``voila_extension``)."""
DASHBOARD_ARGS = tuple(
    f"--ServerApp.jpserver_extensions={name}=False"
    for name in ("jupyterlab", "notebook", "jupyter_lsp", "jupyter_server_terminals")
)
"""A dashboard user's server runs Voilà only: no JupyterLab, notebook UI or terminal."""


def plan_overrides(plan: Plan, table: PlanTable, service_url: str) -> dict[str, Any]:
    """Spawner traits for ``plan``: CPU/memory limits and guarantees, and the kernel environment
    (the store service's URL, and numba's and OpenMP's thread counts matched to the CPU
    limit). The kernel reaches the store with its own hub token, never a database URL."""
    threads = str(math.ceil(plan.cpu_limit))
    return {
        "cpu_limit": float(plan.cpu_limit),
        "cpu_guarantee": float(plan.cpu_guarantee),
        "mem_limit": plan.mem_limit,
        "mem_guarantee": plan.mem_guarantee,
        "environment": {
            **kernel_environment(plan, table),
            "CRYOGEN_STORE_URL": service_url,
            "NUMBA_NUM_THREADS": threads,
            "OMP_NUM_THREADS": threads,
        },
    }


def pick_cores(user: str, cpu_limit: float, available: Sequence[int]) -> set[int]:
    """``ceil(cpu_limit)`` of the ``available`` cores, starting at a place fixed by the user's
    name, so that users on one machine spread over its cores."""
    cores = sorted(available)
    n = min(max(math.ceil(cpu_limit), 1), len(cores))
    start = zlib.crc32(user.encode()) % len(cores)
    return {cores[(start + i) % len(cores)] for i in range(n)}


class PlanLocalSpawner(LocalProcessSpawner):
    """The single-machine spawner.

    When the hub runs as root, every hub user's server runs as their own system user
    (``hub_config.system_users``: created on the first spawn, home under ``home_root``,
    never root), in a child of the hub's own cgroup that holds the plan's memory and CPU
    limits (``hub_config.cgroups``), with the hub's prewarmed, read-only numba cache
    (``hub_config.numba_cache``). Without a writable cgroup the limits fall back to
    ``RLIMIT_DATA`` per process (the server, each kernel, each local Dask worker) and a
    CPU affinity the user can undo; a hub that is not root runs every server as its own
    system user. The hub's log says which of these holds.
    """

    home_root = Unicode(config=True, help="Folder the users' homes are made in.")
    user_prefix = Unicode("cryogen-", config=True, help="Prefix of the system user names.")
    cgroups = AnyTrait(
        None, config=True, help="hub_config.cgroups.CgroupLimits, or None (rlimits)."
    )
    cgroups_missing = Unicode(config=True, help="Why there are no cgroup limits.")
    numba_cache_dir = Unicode(config=True, help="The kernels' shared numba cache ('': none).")
    numba_prewarm_log = Unicode(config=True, help="Where the numba prewarm writes its output.")

    @property
    def account(self) -> str:
        """The hub user's system user name (also the name of their cgroup and home)."""
        return system_users.system_name(self.user.name, self.user_prefix)

    @property
    def system_user(self) -> str:
        """The system user the server runs as (the hub's own one unless the hub is root)."""
        return self.account if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    @property
    def home(self) -> str:
        """The server's home: the system user's, else under ``home_root``."""
        if os.geteuid() == 0:
            return pwd.getpwnam(self.account).pw_dir
        return str(Path(self.home_root) / self.account)

    async def run_pre_spawn_hook(self):
        await maybe_future(super().run_pre_spawn_hook())
        if self.numba_cache_dir:
            folder = Path(self.numba_cache_dir)
            await shared_cache(folder, Path(self.numba_prewarm_log), self.cmd[0]).ready()
            self.environment = {**self.environment, "NUMBA_CACHE_DIR": str(folder)}
        if os.geteuid() == 0:
            system_users.ensure(self.user.name, Path(self.home_root), self.user_prefix)
        else:
            Path(self.home).mkdir(parents=True, exist_ok=True, mode=0o700)
            self.log.warning(
                "CryoGen: the hub is not root, so %s's server runs as the hub's system user %s",
                self.user.name,
                self.system_user,
            )
        if self.cgroups is None:
            self.log.warning(
                "CryoGen: no cgroup limits for %s (%s): memory is RLIMIT_DATA per process and "
                "CPU a core affinity the user can undo",
                self.user.name,
                self.cgroups_missing,
            )

    def user_env(self, env):
        env.update(USER=self.system_user, HOME=self.home, SHELL="/bin/bash")
        return env

    def make_preexec_fn(self, name):
        mem_limit, cpu_limit = int(self.mem_limit or 0), float(self.cpu_limit or 0)
        cgroup = None
        if self.cgroups is not None:
            cgroup = self.cgroups.create(self.account, mem_limit, cpu_limit)
        cores = pick_cores(name, cpu_limit, os.sched_getaffinity(0)) if cpu_limit else None
        home = self.home
        drop_root = set_user_setuid(self.system_user) if os.geteuid() == 0 else None

        def preexec():
            if cgroup is not None:
                join(cgroup)
            else:
                if mem_limit:
                    resource.setrlimit(resource.RLIMIT_DATA, (mem_limit, mem_limit))
                if cores:
                    os.sched_setaffinity(0, cores)
            if drop_root is not None:
                drop_root()
            else:
                os.chdir(home)

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        if self.cgroups is not None:
            self.cgroups.remove(self.account)


def kubespawner_profile(plan: Plan, table: PlanTable, service_url: str) -> dict[str, Any]:
    """One KubeSpawner ``profile_list`` entry for ``plan``."""
    components = (
        "unlimited components"
        if plan.max_kernel_components is None
        else f"up to {plan.max_kernel_components} components in the kernel"
    )
    return {
        "display_name": f"{plan.title}: {plan.cpu_limit:g} CPU, {plan.mem_limit} memory",
        "slug": plan.name,
        "description": f"{components}; {plan.dask_workers} Dask workers",
        "kubespawner_override": plan_overrides(plan, table, service_url),
    }


def kubespawner_profile_list(settings: SpawnSettings):
    """``c.KubeSpawner.profile_list``: a callable giving each user the one profile of their plan
    (so nobody picks a bigger kernel than they pay for)."""

    def profile_list(spawner) -> list[dict[str, Any]]:
        table = settings.table
        plan = table.get(Accounts(settings.store_url).ensure(spawner.user.name).plan)
        return [{**kubespawner_profile(plan, table, settings.service_url), "default": True}]

    return profile_list


def make_pre_spawn_hook(settings: SpawnSettings):
    """``c.Spawner.pre_spawn_hook``: size the server from the user's plan; dashboard users
    open the Voilà app on a Voilà-only server (its root is the app's folder)."""

    def pre_spawn_hook(spawner) -> None:
        table = settings.table
        account = Accounts(settings.store_url).ensure(spawner.user.name)
        plan = table.get(account.plan)
        overrides = plan_overrides(plan, table, settings.service_url)
        environment = overrides.pop("environment")
        for trait, value in overrides.items():
            setattr(spawner, trait, value)
        spawner.environment = {**spawner.environment, **environment}
        # The hub keeps a user's spawner between spawns: set (or undo) the dashboard every time.
        args = [a for a in spawner.args if a not in DASHBOARD_ARGS]
        if account.dashboard or spawner.user.name in settings.dashboard_users:
            spawner.notebook_dir = str(settings.app_notebook.parent)
            spawner.default_url = settings.dashboard_url()
            args += DASHBOARD_ARGS
        else:
            spawner.notebook_dir = spawner.default_url = ""
        spawner.args = args
        spawner.log.info(
            "CryoGen: %s on plan %s (%g CPU, %s)",
            spawner.user.name,
            plan.name,
            plan.cpu_limit,
            plan.mem_limit,
        )

    return pre_spawn_hook
