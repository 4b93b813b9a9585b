"""A real JupyterHub: sign in with the dummy authenticator over HTTP, spawn a server, and
check the kernel runs under its plan's limits; a dashboard user lands on Voilà; the
billing service answers through the hub with the user's plan."""

from __future__ import annotations

import json
import os
import shutil
import time

import nbformat
import pytest
import requests
import stripe

from cryogen_widgets.store._engine import dispose_engines
from cryogen_widgets.store.accounts import Accounts
from tests.conftest import require
from tests.hub.hubprocess import Hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]

WEBHOOK_SECRET = "whsec_hub_test"
KERNEL_CODE = """
import json, os, resource
import cryogen_widgets.store as s
store = s.open()
env = {k: v for k, v in os.environ.items() if k.startswith("CRYOGEN_") or k in ("MEM_LIMIT", "CPU_LIMIT")}
print(json.dumps({"env": env, "user": store.user, "plan": store.plan.name, "url": store.url,
                  "data_limit": resource.getrlimit(resource.RLIMIT_DATA)[0],
                  "cores": len(os.sched_getaffinity(0)), "numba": os.environ.get("NUMBA_NUM_THREADS")}))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    require(
        shutil.which("configurable-http-proxy") is not None,
        "configurable-http-proxy (npm install -g configurable-http-proxy)",
    )
    data = tmp_path_factory.mktemp("hub")
    store_url = f"sqlite:///{data / 'cryogen.sqlite'}"
    accounts = Accounts(store_url)
    accounts.set_plan("alice", "pro")
    accounts.set_dashboard("bob", True)
    dispose_engines()
    app = data / "app" / "app.ipynb"
    app.parent.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print('CryoGen dashboard ' + 'ready')"))
    nbformat.write(nb, app)
    hub = Hub(
        data,
        {
            "CRYOGEN_DB_URL": store_url,
            "CRYOGEN_APP_NOTEBOOK": str(app),
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_PRICE_PRO": "price_pro",
        },
    )
    hub.store_url = store_url
    hub.start()
    yield hub
    hub.stop()


def test_a_spawned_kernel_sees_its_plan_limits(hub):
    session = hub.login("alice")
    hub.spawn(session, "alice")
    seen = json.loads(hub.run_in_kernel("alice", hub.token(session, "alice"), KERNEL_CODE))
    env = seen["env"]
    # plans.json, plan "pro": unlimited kernel components (left unset), 200 server
    # simulations a month, 2 CPU, 8G, 8 Dask workers.
    assert env["CRYOGEN_PLAN"] == "pro"
    assert "CRYOGEN_MAX_KERNEL_COMPONENTS" not in env
    assert env["CRYOGEN_SERVER_SIMULATIONS_PER_MONTH"] == "200"
    assert (env["CRYOGEN_CPU_LIMIT"], env["CRYOGEN_MEM_LIMIT"], env["CRYOGEN_DASK_WORKERS"]) == (
        "2",
        "8G",
        "8",
    )
    assert "quench_analysis" in env["CRYOGEN_FEATURES"].split(",")
    assert env["CPU_LIMIT"] == "2.0"  # JupyterHub's own export of the spawner's limit
    assert int(env["MEM_LIMIT"]) == 8 * 1024**3
    # The kernel's store is the store service, reached with the kernel's own hub token.
    assert (seen["user"], seen["plan"]) == ("alice", "pro")
    assert seen["url"] == env["CRYOGEN_STORE_URL"]
    assert "CRYOGEN_DB_URL" not in env
    # The local spawner enforces the limits on the kernel process.
    assert seen["data_limit"] == 8 * 1024**3
    assert seen["cores"] == min(2, len(os.sched_getaffinity(0)))
    assert seen["numba"] == "2"


def test_an_academic_kernel_gets_the_component_limit(hub):
    session = hub.login("carol")
    hub.spawn(session, "carol")
    seen = json.loads(hub.run_in_kernel("carol", hub.token(session, "carol"), KERNEL_CODE))
    env = seen["env"]
    assert (env["CRYOGEN_PLAN"], env["CRYOGEN_MAX_KERNEL_COMPONENTS"]) == ("academic", "100")
    assert (seen["data_limit"], seen["cores"]) == (4 * 1024**3, 1)  # plans.json: 4G, 1 CPU


def test_a_dashboard_user_lands_on_the_voila_app(hub):
    session = hub.login("bob")
    hub.spawn(session, "bob")
    page = session.get(f"{hub.url}/user/bob/", timeout=60)
    assert page.status_code == 200
    assert page.url.endswith("/user/bob/voila/render/app.ipynb")
    assert "CryoGen dashboard ready" in page.text


def test_the_billing_service_shows_the_signed_in_users_plan(hub):
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/billing/", timeout=30)
    assert page.status_code == 200, page.text
    assert 'data-plan="pro"' in page.text
    assert session.get(f"{hub.url}/services/billing/health", timeout=10).json() == {"status": "ok"}


def test_stripe_reaches_the_webhook_through_the_proxy_without_a_hub_login(hub):
    url = f"{hub.url}/services/billing/webhook"
    assert requests.post(url, data=b"{}", timeout=10).status_code == 400  # unsigned
    body = json.dumps(
        {
            "id": "evt_hub",
            "object": "event",
            "created": int(time.time()),  # Stripe events carry their Unix creation time
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_1",
                    "client_reference_id": "dave",
                    "customer": "cus_dave",
                    "subscription": "sub_d",
                    "metadata": {"plan": "pro"},
                }
            },
        }
    )
    reply = requests.post(
        url,
        data=body.encode(),
        timeout=10,
        headers={
            "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(
                body, WEBHOOK_SECRET
            )
        },
    )
    assert reply.json() == {"id": "evt_hub", "outcome": "applied"}
    assert Accounts(hub.store_url).get("dave").plan == "pro"
