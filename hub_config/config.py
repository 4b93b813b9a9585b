"""Everything ``jupyterhub_config.py`` sets, as one function of the environment.

==============================  ==================================================  ======================
variable                        meaning                                             default
==============================  ==================================================  ======================
CRYOGEN_AUTHENTICATOR           github | google | dummy (see authenticators.py)     required
CRYOGEN_HUB_DATA_DIR            hub database, cookie secret, store, results (made   ~/.cryogen/hub
                                0700: no user's server may read it)
CRYOGEN_HUB_HOME_ROOT           local spawner: where users' homes are made          /home (root), else
                                (outside the data directory)                        <data dir>/../hub-homes
CRYOGEN_HUB_USER_PREFIX         local spawner: prefix of the system user names      cryogen-
CRYOGEN_SINGLEUSER_PYTHON       local spawner: the users' servers' Python (every     the hub's Python
                                user must be able to run it)
CRYOGEN_NUMBA_CACHE_DIR         local spawner: the kernels' shared numba cache,     /var/cache/cryogen/numba
                                prewarmed by the hub, read-only to users            (root), else
                                                                                    <data dir>/../numba-cache
CRYOGEN_HUB_IP / _PORT          public address of the proxy                         127.0.0.1 / 8000
CRYOGEN_HUB_API_PORT            hub's internal API port (127.0.0.1)                 8081
CRYOGEN_PROXY_API_PORT          configurable-http-proxy's API port (127.0.0.1)      8001
CRYOGEN_BILLING_PORT            billing service port (127.0.0.1)                    8002
CRYOGEN_DB_URL                  the CryoGen store (PostgreSQL URL in production);   <data dir>/cryogen.sqlite
                                the hub and billing only, never a kernel
CRYOGEN_STORE_DB_URL            the store service's database role (PostgreSQL:      CRYOGEN_DB_URL (SQLite)
                                a member of cryogen_store_service, under RLS)
CRYOGEN_STORE_IP / _PORT        where the store service listens                     127.0.0.1 / 8003
CRYOGEN_STORE_URL               the store service as kernels reach it               http://<ip>:<port>/services/store/
CRYOGEN_RESULTS_URL             results storage (fsspec URL, e.g. s3://bucket/cryo) <data dir>/results
CRYOGEN_RESULTS_OPTIONS         JSON options of that storage (endpoint_url, ...)    {}
CRYOGEN_PLANS_FILE              plan tiers                                          the package's plans.json
CRYOGEN_SPAWNER                 local | kubernetes                                  local
CRYOGEN_IMAGE                   single-user image (kubernetes)                      required for kubernetes
CRYOGEN_APP_NOTEBOOK            Voilà app notebook opened by dashboard users        notebooks/CryoGen.ipynb
CRYOGEN_DASHBOARD_USERS         comma list of dashboard users (or the store flag)   (none)
CRYOGEN_KERNEL_CULL_IDLE_S      idle kernels are shut down after this many seconds  600
STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_<PLAN>: passed to the billing service only.
AWS_*: passed to the store service only (credentials of the results bucket).
==============================  ==================================================  ======================
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from cryogen_widgets.store import database_url
from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.store.components import sync_builtin
from cryogen_widgets.store.plans import load_plans
from hub_config import cgroups
from hub_config.authenticators import (
    HubConfigError,
    check_dummy_exposure,
    configure_authenticator,
    split_list,
)
from hub_config.numba_cache import shared_cache
from hub_config.spawners import (
    VOILA_EXTENSION_ARG,
    SpawnSettings,
    kubespawner_profile_list,
    make_pre_spawn_hook,
)
from hub_config.system_users import check_everyone_can_use, check_prefix

REPO = Path(__file__).resolve().parent.parent
SERVICE_START_S = 120
"""How long the hub waits for a managed service to answer at start-up, s (JupyterHub's
default, 30 s, is too short on a loaded 2-core machine: the store service imports the
solver package, and the numba prewarm runs beside the hub)."""
BILLING_ENV = ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "CRYOGEN_PUBLIC_URL")


def configure(c, env: Mapping[str, str] | None = None) -> SpawnSettings:
    """Fill the JupyterHub config object ``c`` from ``env`` (default ``os.environ``)."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("CRYOGEN_HUB_DATA_DIR") or Path.home() / ".cryogen" / "hub")
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)  # cookie secret, databases: the hub's alone
    ip = env.get("CRYOGEN_HUB_IP", "127.0.0.1")
    check_dummy_exposure(env, ip)
    port = int(env.get("CRYOGEN_HUB_PORT", "8000"))
    store_url = database_url(
        env.get("CRYOGEN_DB_URL") or f"sqlite:///{data_dir / 'cryogen.sqlite'}"
    )
    plans_path = Path(env["CRYOGEN_PLANS_FILE"]) if env.get("CRYOGEN_PLANS_FILE") else None
    table = load_plans(plans_path)
    # Create or upgrade the store's schema and mirror the built-in catalog now, as the
    # tables' owner: the store service's role can do neither.
    sync_builtin(Accounts(store_url).engine)
    store_service = _store_service(env, data_dir, store_url, table.path)

    c.JupyterHub.bind_url = f"http://{ip}:{port}"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{int(env.get('CRYOGEN_HUB_API_PORT', '8081'))}"
    c.ConfigurableHTTPProxy.api_url = (
        f"http://127.0.0.1:{int(env.get('CRYOGEN_PROXY_API_PORT', '8001'))}"
    )
    c.ConfigurableHTTPProxy.pid_file = str(data_dir / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{data_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(data_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True
    configure_authenticator(c, env)

    settings = SpawnSettings(
        store_url=store_url,
        app_notebook=Path(env.get("CRYOGEN_APP_NOTEBOOK") or REPO / "notebooks" / "CryoGen.ipynb"),
        dashboard_users=frozenset(split_list(env.get("CRYOGEN_DASHBOARD_USERS"))),
        plans_path=table.path,
        service_url=store_service["kernel_url"],
    )
    cull = int(env.get("CRYOGEN_KERNEL_CULL_IDLE_S", "600"))
    # A closed Voilà tab shuts its kernel (VOILA_EXTENSION_ARG); idle kernels are culled as a
    # backstop (a tab whose browser died never says goodbye).
    args = [
        VOILA_EXTENSION_ARG,
        f"--MappingKernelManager.cull_idle_timeout={cull}",
        f"--MappingKernelManager.cull_interval={max(cull // 10, 10)}",
    ]
    spawner = env.get("CRYOGEN_SPAWNER", "local")
    if spawner == "local":
        c.JupyterHub.spawner_class = "hub_config.spawners.PlanLocalSpawner"
        settings = _local_spawner(c, env, data_dir, settings)
    elif spawner == "kubernetes":
        if not env.get("CRYOGEN_IMAGE"):
            raise HubConfigError(
                "CRYOGEN_SPAWNER=kubernetes needs CRYOGEN_IMAGE (single-user image)"
            )
        c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
        c.KubeSpawner.image = env["CRYOGEN_IMAGE"]
        c.KubeSpawner.profile_list = kubespawner_profile_list(settings)
    else:
        raise HubConfigError(f"CRYOGEN_SPAWNER must be local or kubernetes; got {spawner!r}")
    c.Spawner.args = args
    c.Spawner.pre_spawn_hook = make_pre_spawn_hook(settings)

    billing_port = int(env.get("CRYOGEN_BILLING_PORT", "8002"))
    billing_env = {
        "CRYOGEN_DB_URL": store_url,
        "CRYOGEN_PLANS_FILE": str(table.path),
        "CRYOGEN_BILLING_PORT": str(billing_port),
        "PYTHONPATH": str(REPO),
    }
    billing_env.update({k: env[k] for k in BILLING_ENV if env.get(k)})
    billing_env.update(
        {
            p.stripe_price_env: env[p.stripe_price_env]
            for p in table.plans
            if p.stripe_price_env and env.get(p.stripe_price_env)
        }
    )
    # Every signed-in user may open the billing page and use the store (JupyterHub 5: access
    # is a scope); a server's own token (the kernel's JUPYTERHUB_API_TOKEN) may use the store.
    c.JupyterHub.load_roles = [
        {
            "name": "user",
            "scopes": ["self", "access:services!service=billing", "access:services!service=store"],
        },
        {
            "name": "server",
            "scopes": [
                "users:activity!user",
                "access:servers!server",
                "access:services!service=store",
            ],
        },
    ]
    c.JupyterHub.services = [
        store_service["service"],
        {
            "name": "billing",
            "url": f"http://127.0.0.1:{billing_port}",
            "command": [sys.executable, "-m", "hub_config.billing"],
            "cwd": str(REPO),
            "environment": billing_env,
            "oauth_no_confirm": True,
            "timeout": SERVICE_START_S,
        },
    ]
    return settings


def _local_spawner(c, env: Mapping[str, str], data_dir: Path, settings: SpawnSettings):
    """The local spawner (``PlanLocalSpawner``): the servers' Python and the isolation of
    its users (homes, system user names, cgroups, the shared numba cache); returns
    ``settings`` with that cache."""
    root = os.geteuid() == 0
    home_root = Path(
        env.get("CRYOGEN_HUB_HOME_ROOT") or ("/home" if root else data_dir.parent / "hub-homes")
    )
    numba_dir = Path(
        env.get("CRYOGEN_NUMBA_CACHE_DIR")
        or ("/var/cache/cryogen/numba" if root else data_dir.parent / "numba-cache")
    )
    for variable, path in (
        ("CRYOGEN_HUB_HOME_ROOT", home_root),
        ("CRYOGEN_NUMBA_CACHE_DIR", numba_dir),
    ):
        if path.resolve().is_relative_to(data_dir.resolve()):
            raise HubConfigError(
                f"{variable}={path} is inside the hub's data directory {data_dir}, which no "
                "user may read: choose a folder outside it"
            )
    c.PlanLocalSpawner.home_root = str(home_root)
    c.PlanLocalSpawner.user_prefix = check_prefix(env.get("CRYOGEN_HUB_USER_PREFIX", "cryogen-"))
    python = env.get("CRYOGEN_SINGLEUSER_PYTHON") or sys.executable
    if root:
        for path in (Path(python), REPO):
            check_everyone_can_use(path, "CRYOGEN_SINGLEUSER_PYTHON")
    c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]
    limits, why = cgroups.detect()
    c.PlanLocalSpawner.cgroups = limits
    c.PlanLocalSpawner.cgroups_missing = why
    if limits is None:
        logging.getLogger("JupyterHub").warning(
            "CryoGen: no cgroup can limit the users' servers (%s); memory is limited by "
            "RLIMIT_DATA per process and CPU by a core affinity the user can undo",
            why,
        )
    c.PlanLocalSpawner.numba_cache_dir = str(numba_dir)
    c.PlanLocalSpawner.numba_prewarm_log = str(data_dir / "numba-prewarm.log")
    return dataclasses.replace(
        settings, numba_cache=shared_cache(numba_dir, data_dir / "numba-prewarm.log", python)
    )


def _store_service(env: Mapping[str, str], data_dir: Path, store_url: str, plans: Path) -> dict:
    """The store service's entry in ``c.JupyterHub.services`` and the URL kernels reach it at.

    On PostgreSQL the service needs its own role under row-level security
    (``CRYOGEN_STORE_DB_URL``); the owner's URL (``CRYOGEN_DB_URL``) never leaves the hub.
    """
    service_db = env.get("CRYOGEN_STORE_DB_URL") or store_url
    if database_url(service_db).startswith("postgresql") and not env.get("CRYOGEN_STORE_DB_URL"):
        raise HubConfigError(
            "CRYOGEN_DB_URL is PostgreSQL: set CRYOGEN_STORE_DB_URL to the store service's own "
            "role (CREATE ROLE cryogen_service LOGIN PASSWORD '...' IN ROLE "
            "cryogen_store_service), which cannot bypass row-level security"
        )
    ip = env.get("CRYOGEN_STORE_IP", "127.0.0.1")
    port = int(env.get("CRYOGEN_STORE_PORT", "8003"))
    environment = {
        "CRYOGEN_STORE_DB_URL": database_url(service_db),
        "CRYOGEN_PLANS_FILE": str(plans),
        "CRYOGEN_STORE_IP": ip,
        "CRYOGEN_STORE_PORT": str(port),
        "CRYOGEN_RESULTS_URL": env.get("CRYOGEN_RESULTS_URL") or str(data_dir / "results"),
        "PYTHONPATH": str(REPO),
    }
    for key, value in env.items():
        if key == "CRYOGEN_RESULTS_OPTIONS" or key.startswith("AWS_"):
            environment[key] = value
    return {
        "kernel_url": env.get("CRYOGEN_STORE_URL") or f"http://{ip}:{port}/services/store/",
        "service": {
            "name": "store",
            "url": f"http://{ip}:{port}",
            "command": [sys.executable, "-m", "cryogen_widgets.store.service"],
            "cwd": str(REPO),
            "environment": environment,
            "timeout": SERVICE_START_S,
        },
    }
