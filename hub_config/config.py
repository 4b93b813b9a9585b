"""Everything ``jupyterhub_config.py`` sets, as one function of the environment.

==============================  ==================================================  ======================
variable                        meaning                                             default
==============================  ==================================================  ======================
CRYOGEN_AUTHENTICATOR           github | google | dummy (see authenticators.py)     required
CRYOGEN_HUB_DATA_DIR            hub database, cookie secret, user homes             ~/.cryogen/hub
CRYOGEN_HUB_IP / _PORT          public address of the proxy                         127.0.0.1 / 8000
CRYOGEN_HUB_API_PORT            hub's internal API port (127.0.0.1)                 8081
CRYOGEN_PROXY_API_PORT          configurable-http-proxy's API port (127.0.0.1)      8001
CRYOGEN_BILLING_PORT            billing service port (127.0.0.1)                    8002
CRYOGEN_DB_URL                  the CryoGen store (PostgreSQL URL in production)    <data dir>/cryogen.sqlite
CRYOGEN_PLANS_FILE              plan tiers                                          hub_config/plans.json
CRYOGEN_SPAWNER                 local | kubernetes                                  local
CRYOGEN_IMAGE                   single-user image (kubernetes)                      required for kubernetes
CRYOGEN_APP_NOTEBOOK            Voilà app notebook opened by dashboard users        notebooks/CryoGen.ipynb
CRYOGEN_DASHBOARD_USERS         comma list of dashboard users (or the store flag)   (none)
CRYOGEN_KERNEL_CULL_IDLE_S      idle kernels are shut down after this many seconds  600
STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_<PLAN>: passed to the billing service only.
==============================  ==================================================  ======================
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from cryogen_widgets.store._engine import database_url
from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.store.plans import load_plans
from hub_config.authenticators import HubConfigError, configure_authenticator, split_list
from hub_config.spawners import SpawnSettings, kubespawner_profile_list, make_pre_spawn_hook

REPO = Path(__file__).resolve().parent.parent
BILLING_ENV = ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "CRYOGEN_PUBLIC_URL")


def configure(c, env: Mapping[str, str] | None = None) -> SpawnSettings:
    """Fill the JupyterHub config object ``c`` from ``env`` (default ``os.environ``)."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("CRYOGEN_HUB_DATA_DIR") or Path.home() / ".cryogen" / "hub")
    data_dir.mkdir(parents=True, exist_ok=True)
    ip = env.get("CRYOGEN_HUB_IP", "127.0.0.1")
    port = int(env.get("CRYOGEN_HUB_PORT", "8000"))
    store_url = database_url(
        env.get("CRYOGEN_DB_URL") or f"sqlite:///{data_dir / 'cryogen.sqlite'}"
    )
    plans_path = Path(env["CRYOGEN_PLANS_FILE"]) if env.get("CRYOGEN_PLANS_FILE") else None
    table = load_plans(plans_path)
    Accounts(store_url)  # create or upgrade the store's schema now, not at the first spawn

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
    )
    cull = int(env.get("CRYOGEN_KERNEL_CULL_IDLE_S", "600"))
    # Voilà leaves a kernel per closed tab (DESIGN.md pitfalls): cull idle kernels.
    args = [
        f"--MappingKernelManager.cull_idle_timeout={cull}",
        f"--MappingKernelManager.cull_interval={max(cull // 10, 10)}",
    ]
    spawner = env.get("CRYOGEN_SPAWNER", "local")
    if spawner == "local":
        c.JupyterHub.spawner_class = "hub_config.spawners.PlanLocalSpawner"
        c.PlanLocalSpawner.home_dir_template = str(data_dir / "users" / "{username}")
        c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
        if os.geteuid() == 0:
            args.append("--ServerApp.allow_root=True")
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
    # Every signed-in user may open the billing page (JupyterHub 5: access is a scope).
    c.JupyterHub.load_roles = [
        {"name": "user", "scopes": ["self", "access:services!service=billing"]}
    ]
    c.JupyterHub.services = [
        {
            "name": "billing",
            "url": f"http://127.0.0.1:{billing_port}",
            "command": [sys.executable, "-m", "hub_config.billing"],
            "cwd": str(REPO),
            "environment": billing_env,
            "oauth_no_confirm": True,
        }
    ]
    return settings
