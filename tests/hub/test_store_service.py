"""The store service on a real hub, tried the way an attacker would from inside a kernel.

PostgreSQL runs with password authentication, the hub with the owner's URL and the store
service with its own role under row-level security. From a spawned single-user server:
no database URL or password in the kernel's environment, its server's environment and
arguments, or its files; every store call on another tenant's ids answers 404 (403 where
the project is visible but not writable); forged and expired tokens are refused;
SQL-injection strings are stored as text; raw SQL cannot even connect. Plans hold on the
server: an Academic design over the kernel limit goes to Dask, over the quota it is refused
with the reset date.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest
import requests

import cryogen_widgets.store as store_api
from cryogen_widgets.store._engine import dispose_engines
from cryogen_widgets.store.accounts import Accounts
from tests.conftest import require
from tests.hub.hubprocess import Hub, isolated_users
from tests.store.designs import chain_design
from tests.store.postgres import PostgresServer, postgres_bin_dir

pytestmark = [pytest.mark.hub, pytest.mark.postgres, pytest.mark.slow]

PASSWORD = (
    "owner-pw-7f3a"  # the owner's; the service role's is "svc-" + it (tests/store/postgres.py)
)
INJECTION = "x'); DROP TABLE projects; --"

ALICE_CODE = """
import json, cryogen_widgets.store as s
store = s.open()
p = store.projects.create("alice secret", {design})
sim = store.simulations.start(p.id, "steady")
store.results.put(sim.id, b"CDF\\x01" + b"alice's result" * 10)
print(json.dumps({{"project": p.id, "sim": sim.id, "user": store.user}}))
"""

BOB_CODE = """
import json, os, pathlib, requests, psycopg
import cryogen_widgets.store as s
secrets = {secrets!r}
seen = {{}}

# 1. Nothing that reaches the database: environment, process arguments, files.
def leaks(text):
    return [x for x in secrets if x in text]
seen["env_keys"] = sorted(k for k in os.environ if "DB_URL" in k)
seen["env_leaks"] = leaks(json.dumps(dict(os.environ)))
procs = {{}}
for pid in (os.getpid(), os.getppid()):
    for part in ("cmdline", "environ"):
        procs[f"{{pid}}/{{part}}"] = pathlib.Path(f"/proc/{{pid}}/{{part}}").read_bytes().decode(errors="replace")
seen["proc_leaks"] = {{k: leaks(v) for k, v in procs.items() if leaks(v)}}
file_leaks = []
for path in pathlib.Path.home().rglob("*"):
    if path.is_file() and path.stat().st_size < 2_000_000:
        if leaks(path.read_bytes().decode(errors="replace")):
            file_leaks.append(str(path))
seen["file_leaks"] = file_leaks

# 2. Another tenant's ids through every store call.
store = s.open()
pid, sim = {project!r}, {sim}
calls = {{
    "read": lambda: store.projects.load(pid),
    "read version": lambda: store.projects.load(pid, version=1),
    "fork": lambda: store.projects.fork(pid),
    "overwrite": lambda: store.projects.save(pid, {{"schema": "cryogen/design@1"}}, 1),
    "delete": lambda: store.projects.delete(pid),
    "history": lambda: store.projects.history(pid),
    "restore": lambda: store.projects.restore(pid, 1),
    "share": lambda: store.projects.share(pid, "bob"),
    "run": lambda: store.simulations.start(pid, "steady"),
    "runs": lambda: store.simulations.list(pid),
    "finish run": lambda: store.simulations.finish(sim, "failed"),
    "results download": lambda: store.results.get_bytes(sim),
    "results overwrite": lambda: store.results.put(sim, b"CDF\\x01 bob"),
}}
outcome = {{}}
for name, call in calls.items():
    try:
        call()
        outcome[name] = "ALLOWED"
    except s.NotFoundError:
        outcome[name] = 404
    except s.AccessDeniedError:
        outcome[name] = 403
seen["calls"] = outcome
seen["listed"] = [p.id for p in store.projects.list(include_public=True)]
url, token = os.environ["CRYOGEN_STORE_URL"], os.environ["JUPYTERHUB_API_TOKEN"]
auth = {{"Authorization": f"token {{token}}"}}
seen["http"] = {{
    "read": requests.post(url + "api/call/projects/load", json={{"kwargs": {{"project_id": pid}}}}, headers=auth).status_code,
    "results download": requests.get(url + f"api/results/{{sim}}", headers=auth).status_code,
    "private function": requests.post(url + "api/call/projects/_get", json={{}}, headers=auth).status_code,
    "no token": requests.post(url + "api/call/projects/list", json={{}}).status_code,
    "forged token": requests.post(url + "api/call/projects/list", json={{}}, headers={{"Authorization": "token forged0123"}}).status_code,
    "expired token": requests.post(url + "api/call/projects/list", json={{}}, headers={{"Authorization": "token {expired}"}}).status_code,
}}
try:
    s.open(token="forged0123")
    seen["forged open"] = "ALLOWED"
except s.AccessDeniedError:
    seen["forged open"] = 403

# 3. SQL injection strings are data.
mine = store.projects.create({injection!r}, {design})
seen["injection name"] = store.projects.load(mine.id).info.name
seen["injection search"] = len(store.components.search({injection!r} + " ' OR 1=1 --"))
seen["my projects"] = len(store.projects.list())

# 4. Raw SQL: no credentials, no connection.
raw = {{}}
for user in ("postgres", "cryogen_svc"):
    try:
        psycopg.connect(f"host=127.0.0.1 port={pg_port} user={{user}} dbname=postgres", connect_timeout=5).close()
        raw[user] = "CONNECTED"
    except psycopg.OperationalError as exc:
        raw[user] = "refused" if "password" in str(exc) else str(exc)
seen["raw sql"] = raw

# 5. Plans on the server.
big = store.simulations.start(None, "steady", design={big_design})
seen["big placement"] = big.execution_mode
try:
    store.simulations.start(None, "steady", design={big_design})
    seen["over quota"] = "ALLOWED"
except s.QuotaExceededError as exc:
    seen["over quota"] = str(exc)
try:
    store.simulations.start(None, "quench", design={design})
    seen["quench"] = "ALLOWED"
except s.PlanLimitError as exc:
    seen["quench"] = str(exc)
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    require(
        shutil.which("configurable-http-proxy") is not None,
        "configurable-http-proxy (npm install -g configurable-http-proxy)",
    )
    bin_dir = postgres_bin_dir()
    require(bin_dir is not None, "PostgreSQL server binaries (Debian package postgresql)")
    pg = PostgresServer(bin_dir, password=PASSWORD)
    pg.start()
    owner_url = pg.new_database()
    accounts = Accounts(owner_url)  # migrates: creates the cryogen_store_service role
    accounts.set_plan("alice", "pro")
    accounts.ensure("bob")
    service_url = pg.service_url(owner_url)
    dispose_engines()
    data = tmp_path_factory.mktemp("hub")
    with isolated_users() as users:
        hub = Hub(
            data,
            {"CRYOGEN_DB_URL": owner_url, "CRYOGEN_STORE_DB_URL": service_url, **users},
        )
        hub.owner_url, hub.pg = owner_url, pg
        hub.secrets = [PASSWORD, f"svc-{PASSWORD}", "postgresql", "sqlite:"]
        try:
            hub.start(timeout_s=240)  # a loaded 2-core CI machine; the prewarm runs beside it
            yield hub
        finally:
            hub.stop()
            dispose_engines()
            pg.stop()


def _expired_token(hub: Hub, session: requests.Session, name: str) -> str:
    token = hub.token(session, name, expires_in=1)
    time.sleep(2.5)
    return token


def test_a_kernel_cannot_reach_another_tenant_or_the_database(hub):
    alice_session = hub.login("alice")
    hub.spawn(alice_session, "alice")
    alice_token = hub.token(alice_session, "alice")
    alice = json.loads(
        hub.run_in_kernel("alice", alice_token, ALICE_CODE.format(design=chain_design()))
    )
    assert alice["user"] == "alice"
    owner_view_of_bob = store_api.open(hub.owner_url, user="bob")
    for _ in range(19):  # academic: 20 server simulations a month; the big run takes the last
        owner_view_of_bob.usage.book_server_simulation()
    bob_session = hub.login("bob")
    hub.spawn(bob_session, "bob")
    code = BOB_CODE.format(
        secrets=hub.secrets,
        project=alice["project"],
        sim=alice["sim"],
        expired=_expired_token(hub, bob_session, "bob"),
        injection=INJECTION,
        design=chain_design(),
        big_design=chain_design(99),  # 101 components: over academic's kernel limit of 100
        pg_port=hub.pg.port,
    )
    seen = json.loads(hub.run_in_kernel("bob", hub.token(bob_session, "bob"), code, timeout_s=120))
    assert seen["env_keys"] == [] and seen["env_leaks"] == []
    assert seen["proc_leaks"] == {} and seen["file_leaks"] == []
    assert seen["calls"] == dict.fromkeys(
        (
            "read",
            "read version",
            "fork",
            "overwrite",
            "delete",
            "history",
            "restore",
            "share",
            "run",
            "runs",
            "finish run",
            "results download",
            "results overwrite",
        ),
        404,
    )
    assert alice["project"] not in seen["listed"]
    assert seen["http"] == {
        "read": 404,
        "results download": 404,
        "private function": 404,
        "no token": 403,
        "forged token": 403,
        "expired token": 403,
    }
    assert seen["forged open"] == 403
    assert seen["injection name"] == INJECTION and seen["injection search"] == 0
    assert seen["my projects"] == 1
    assert seen["raw sql"] == {"postgres": "refused", "cryogen_svc": "refused"}
    assert seen["big placement"] == "dask"
    assert "the count resets on" in seen["over quota"]
    assert "quench analysis is not included in the academic plan" in seen["quench"]
    # A valid token of bob's without the store scope is refused too (through the proxy).
    narrow = hub.token(bob_session, "bob", scopes=["read:users:name!user"])
    reply = requests.post(
        f"{hub.url}/services/store/api/call/projects/list",
        json={"kwargs": {}},
        headers={"Authorization": f"token {narrow}"},
        timeout=30,
    )
    assert reply.status_code == 403
    full = hub.token(bob_session, "bob")
    reply = requests.post(
        f"{hub.url}/services/store/api/call/projects/list",
        json={"kwargs": {}},
        headers={"Authorization": f"token {full}"},
        timeout=30,
    )
    assert reply.status_code == 200 and len(reply.json()["result"]) == 1
    # Alice's project and result are untouched.
    mine = store_api.open(hub.owner_url, user="alice")
    loaded = mine.projects.load(alice["project"])
    assert (loaded.version, loaded.info.name) == (1, "alice secret")
    key = mine.simulations.get(alice["sim"]).result_path
    assert key.startswith(f"users/{mine._ctx.user_id}/")  # the tenant's prefix
    assert (hub.data_dir / "results" / key).read_bytes() == b"CDF\x01" + b"alice's result" * 10
