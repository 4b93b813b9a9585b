"""A real JupyterHub: sign in with the dummy authenticator over HTTP, spawn a server, and
check the kernel runs as its own system user under its plan's limits, with the shared numba
cache read-only and the hub's data unreadable; a dashboard user gets the Voilà app only (in
Chromium), through the store service, and a closed tab frees its kernel; the billing
service answers through the hub with the user's plan; the store refuses a revoked token."""

from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import time
from pathlib import Path

import pytest
import requests
import stripe

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.store._engine import dispose_engines
from cryogen_widgets.store.accounts import Accounts
from hub_config.cgroups import detect
from tests.browser.test_app_browser import _host
from tests.conftest import require
from tests.hub.hubprocess import Hub, isolated_users

pytestmark = [pytest.mark.hub, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
DASHBOARD_KERNEL_CODE = """
import json, os
import cryogen_widgets.store as s
store = s.open()
print(json.dumps({"store": type(store).__name__, "user": store.user,
                  "db_keys": sorted(k for k in os.environ if "DB" in k),
                  "environ": open(f"/proc/{os.getpid()}/environ", "rb").read().decode(errors="replace")}))
"""

WEBHOOK_SECRET = "whsec_hub_test"
KERNEL_CODE = """
import json, os, resource
import cryogen_widgets.store as s
store = s.open()
env = {k: v for k, v in os.environ.items() if k.startswith("CRYOGEN_") or k in ("MEM_LIMIT", "CPU_LIMIT")}
print(json.dumps({"env": env, "user": store.user, "plan": store.plan.name, "url": store.url,
                  "uid": os.getuid(), "euid": os.geteuid(), "home": os.environ["HOME"],
                  "cgroup": open("/proc/self/cgroup").read(),
                  "data_limit": resource.getrlimit(resource.RLIMIT_DATA)[0],
                  "numba": os.environ.get("NUMBA_NUM_THREADS"),
                  "numba_cache": os.environ.get("NUMBA_CACHE_DIR")}))
"""
PROBE_CODE = """
import json, os, pathlib
def refused(action):
    try:
        action()
    except PermissionError:
        return True
    return False
cache = pathlib.Path(os.environ["NUMBA_CACHE_DIR"])
entry = next(cache.rglob("*.nbi"))
print(json.dumps({
    "write_cache": refused(lambda: (cache / "planted.nbi").write_bytes(b"x")),
    "overwrite_entry": refused(lambda: entry.write_bytes(b"x")),
    "write_cache_subdir": refused(lambda: (entry.parent / "planted.nbc").write_bytes(b"x")),
    "read_data_dir": refused(lambda: os.listdir(DATA)),
    "read_cookie_secret": refused(lambda: open(DATA + "/jupyterhub_cookie_secret").read()),
    "read_store": refused(lambda: open(DATA + "/cryogen.sqlite", "rb").read(1)),
    "leave_cgroup": refused(lambda: open(MEMORY_ROOT + "/cgroup.procs", "w").write(str(os.getpid()))),
}))
"""
CACHE_HIT_CODE = """
import contextlib, io, json, sys
from numba.core.registry import CPUDispatcher
from solver.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["solve", DESIGN, "--json"])
kernels = [k for name, m in list(sys.modules.items()) if name.startswith("solver.")
           for k in vars(m).values() if isinstance(k, CPUDispatcher)]
print(json.dumps({"hits": sum(sum(k.stats.cache_hits.values()) for k in kernels),
                  "misses": sum(sum(k.stats.cache_misses.values()) for k in kernels)}))
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
    with isolated_users() as users:
        hub = Hub(
            data,
            {
                "CRYOGEN_DB_URL": store_url,  # the dashboard opens notebooks/CryoGen.ipynb
                **users,
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "STRIPE_PRICE_PRO": "price_pro",
            },
        )
        hub.store_url = store_url
        hub.prefix = users["CRYOGEN_HUB_USER_PREFIX"]
        hub.public = Path(users["CRYOGEN_HUB_HOME_ROOT"]).parent
        try:
            hub.start(timeout_s=240)  # a loaded 2-core CI machine; the prewarm runs beside it
            yield hub
        finally:
            hub.stop()


def test_a_spawned_kernel_runs_as_its_own_user_under_its_plan_limits(hub):
    session = hub.login("alice")
    hub.spawn(session, "alice", timeout_s=300)  # the first spawn waits for the numba prewarm
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
    # Its own system user, never root, with a home outside the hub's data directory.
    account = pwd.getpwnam(f"{hub.prefix}alice")
    assert seen["uid"] == seen["euid"] == account.pw_uid != 0
    assert seen["home"] == account.pw_dir == str(hub.public / "home" / f"{hub.prefix}alice")
    assert not Path(seen["home"]).resolve().is_relative_to(hub.data_dir.resolve())
    assert seen["numba"] == "2"
    assert seen["numba_cache"] == str(hub.public / "numba")
    # In a child of the hub's cgroup that holds the plan's limits, not under the rlimit.
    assert cgroup_limits(hub, "alice", seen["cgroup"]) == (8 * 1024**3, 2.0)
    assert seen["data_limit"] == resource.RLIM_INFINITY


def cgroup_limits(hub, user: str, proc_cgroup: str) -> tuple[int, float]:
    """(memory in bytes, CPUs) written in ``user``'s cgroup, after checking that the kernel's
    ``/proc/self/cgroup`` text shows it in that cgroup (v1: for memory and cpu)."""
    limits, why = detect()
    require(limits is not None, f"a writable cgroup: {why}")
    name = f"{hub.prefix}{user}"
    joined = [line for line in proc_cgroup.splitlines() if line.endswith(f"/{name}")]
    assert len(joined) == (2 if limits.version == 1 else 1), proc_cgroup
    memory, cpu = limits.memory_dir / name, limits.cpu_dir / name
    if limits.version == 1:
        mem = (memory / "memory.limit_in_bytes").read_text()
        quota = (cpu / "cpu.cfs_quota_us").read_text()
        period = (cpu / "cpu.cfs_period_us").read_text()
    else:
        mem = (memory / "memory.max").read_text()
        quota, period = (cpu / "cpu.max").read_text().split()
    return int(mem), int(quota) / int(period)


def test_a_users_kernel_cannot_touch_the_numba_cache_the_hub_data_or_its_cgroup(hub):
    session = hub.login("alice")
    hub.spawn(session, "alice", timeout_s=300)
    limits, _ = detect()
    parent = limits.memory_dir if limits is not None else Path("/sys/fs/cgroup")
    code = f"DATA = {str(hub.data_dir)!r}\nMEMORY_ROOT = {str(parent)!r}\n" + PROBE_CODE
    refused = json.loads(hub.run_in_kernel("alice", hub.token(session, "alice"), code))
    assert refused == dict.fromkeys(refused, True) and len(refused) == 7, refused
    assert os.stat(hub.data_dir).st_mode & 0o777 == 0o700
    # The kernels load the hub's prewarmed kernels instead of compiling their own.
    design = str(DESIGNS_DIR / "two-stage-pt420.cryo.json")
    code = f"DESIGN = {design!r}\n" + CACHE_HIT_CODE
    stats = json.loads(hub.run_in_kernel("alice", hub.token(session, "alice"), code, 120))
    assert stats["hits"] > 0 and stats["misses"] == 0, stats


def test_an_academic_kernel_gets_the_component_limit(hub):
    session = hub.login("carol")
    hub.spawn(session, "carol")
    seen = json.loads(hub.run_in_kernel("carol", hub.token(session, "carol"), KERNEL_CODE))
    env = seen["env"]
    assert (env["CRYOGEN_PLAN"], env["CRYOGEN_MAX_KERNEL_COMPONENTS"]) == ("academic", "100")
    assert cgroup_limits(hub, "carol", seen["cgroup"]) == (4 * 1024**3, 1.0)  # plans.json


def test_a_dashboard_user_gets_the_app_only_and_a_closed_tab_frees_its_kernel(hub, tmp_path):
    require(os.path.exists(CHROMIUM), "Debian chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    session = hub.login("bob")
    hub.spawn(session, "bob")
    token = hub.token(session, "bob")
    assert hub.kernels("bob", token) == []
    # Voilà only: no JupyterLab, notebook UI or terminal on a dashboard user's server.
    for path in ("lab", "tree", "terminals/1"):
        assert session.get(f"{hub.url}/user/bob/{path}", timeout=30).status_code == 404, path
    hosts: set[str | None] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
        )
        login = browser.new_page()
        login.goto(f"{hub.url}/hub/login?next=%2Fhub%2Fhome", timeout=60_000)
        login.fill("input[name=username]", "bob")
        login.fill("input[name=password]", "cryo-test")
        login.click("input[type=submit]")
        login.wait_for_url("**/hub/home", timeout=60_000)
        login.goto(f"{hub.url}/user/bob/voila", timeout=60_000)  # signs in to bob's server
        login.close()
        # That sign-in (OAuth) set an _xsrf cookie; drop it, as an expired cookie or a new hub
        # session would: the app's page must set the one its unload beacon sends.
        browser.clear_cookies(name="_xsrf")
        page = browser.new_page()
        page.on("request", lambda r: hosts.add(_host(r.url)))
        page.goto(f"{hub.url}/user/bob/", timeout=60_000)  # the hub's default URL for bob
        page.wait_for_selector("canvas.cryogen-designer-canvas", timeout=120_000)
        page.wait_for_function("document.body.innerText.includes('0 components')", timeout=60_000)
        assert page.url.split("?")[0] == f"{hub.url}/user/bob/voila/render/CryoGen.ipynb"
        (kernel,) = hub.kernels("bob", token)
        # The dashboard's kernel reaches the store through the service, with no database URL.
        seen = json.loads(hub.execute("bob", token, kernel, DASHBOARD_KERNEL_CODE))
        assert seen["store"] == "RemoteStore" and seen["user"] == "bob"
        assert seen["db_keys"] == [] and "sqlite" not in seen["environ"]
        closed = time.monotonic()
        page.close(run_before_unload=True)
        while hub.kernels("bob", token):
            assert time.monotonic() - closed < 30, (
                "the kernel outlived its tab by 30 s:\n" + hub.log()
            )
            time.sleep(0.5)
        print(f"kernel gone {time.monotonic() - closed:.1f} s after its tab closed")
        browser.close()
    assert hosts <= {"127.0.0.1", None}, hosts
    assert "voila/api/shutdown" in hub.log_path.read_text()


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


def test_the_store_refuses_a_revoked_token_within_its_check_age(hub):
    from cryogen_widgets.store.service._app import TOKEN_CHECK_MAX_AGE_S

    session = hub.login("erin")
    token = hub.token(session, "erin")
    url = f"{hub.url}/services/store/api/call/projects/list"

    def status() -> int:
        headers = {"Authorization": f"token {token}"}
        return requests.post(url, json={"kwargs": {}}, headers=headers, timeout=30).status_code

    assert status() == 200  # the service has checked the token with the hub (and caches it)
    (model,) = [
        t
        for t in session.get(f"{hub.url}/hub/api/users/erin/tokens", timeout=10).json()[
            "api_tokens"
        ]
        if t["note"] == "test"
    ]
    revoke = session.delete(
        f"{hub.url}/hub/api/users/erin/tokens/{model['id']}",
        headers={"X-XSRFToken": session.cookies.get("_xsrf", path="/hub/")},
        timeout=10,
    )
    assert revoke.status_code == 204, revoke.text
    revoked = time.monotonic()
    while status() != 403:
        # 2 s for the hub's and the service's replies on this shared machine
        assert time.monotonic() - revoked < TOKEN_CHECK_MAX_AGE_S + 2, "a revoked token still works"
        time.sleep(0.5)
    print(f"revoked token refused {time.monotonic() - revoked:.1f} s after its revocation")
