"""Results in object storage: a cooldown run through the store service lands as NetCDF under
the tenant's prefix, in a local folder or an S3 bucket (a local ``moto`` server started by the
test on 127.0.0.1), and is read back bit-identical; another tenant cannot read it. Deleting a
project deletes its results, through both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr

import cryogen_widgets.store as store_api
from cryogen_widgets.store._engine import engine_for
from cryogen_widgets.store.accounts import Accounts
from solver.errors import DesignError
from tests.store.conftest import store_backend
from tests.store.postgres import free_port
from tests.store.service import ServiceThread

DESIGN = Path(__file__).parents[2] / "templates" / "designs" / "single-stage-4k.cryo.json"
BUCKET = "cryogen-results"


@pytest.fixture(scope="module")
def s3_server():
    moto_server = pytest.importorskip("moto.server")
    s3fs = pytest.importorskip("s3fs")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "endpoint_url": f"http://{host}:{port}",
        "key": "test-key",
        "secret": "test-secret",
        "client_kwargs": {"region_name": "eu-west-1"},
    }
    s3fs.S3FileSystem(**options).mkdir(BUCKET)
    yield options
    server.stop()


@pytest.fixture(params=["local folder", "s3"])
def storage(request, tmp_path):
    """(results URL, fsspec options, how to read an object's bytes behind the store's back)."""
    if request.param == "local folder":
        root = tmp_path / "results"
        return str(root), {}, lambda key: (root / key).read_bytes()
    options = request.getfixturevalue("s3_server")
    import s3fs

    fs = s3fs.S3FileSystem(**options)
    prefix = f"{BUCKET}/{tmp_path.name}"
    return f"s3://{prefix}", options, lambda key: fs.cat_file(f"{prefix}/{key}")


@pytest.fixture
def service(tmp_path, storage):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine_for(url)  # migrated by "the hub"
    results_url, options, _ = storage
    service = ServiceThread(url, results_url, options).start()
    yield service
    service.stop()


def test_a_cooldown_lands_under_the_tenants_prefix_and_reads_back_bit_identical(service, storage):
    from cryogen_widgets.runs import run_analysis

    _, _, read_object = storage
    alice, bob = service.open("alice"), service.open("bob")
    design = json.loads(DESIGN.read_text())
    ds = run_analysis(alice, design, "cooldown")
    (sim,) = alice.simulations.list()
    assert (sim.analysis, sim.status, sim.execution_mode) == ("cooldown", "done", "kernel")
    alice_id = service.settings.store_of("alice")._ctx.user_id
    assert sim.result_path == f"users/{alice_id}/simulations/{sim.id}.nc"
    stored = read_object(sim.result_path)
    assert alice.results.get_bytes(sim.id) == stored
    xr.testing.assert_identical(alice.results.get(sim.id)["temperature"], ds["temperature"])
    assert sim.result_summary["sizes"]["time"] == ds.sizes["time"]
    with pytest.raises(store_api.NotFoundError):
        bob.results.get_bytes(sim.id)
    with pytest.raises(store_api.NotFoundError):
        bob.results.put(sim.id, stored)
    assert read_object(sim.result_path) == stored  # unchanged by bob's attempt


def test_put_bytes_come_back_exactly_and_only_netcdf_is_accepted(service):
    alice = service.open("alice")
    sim = alice.simulations.start(None, "steady", design=json.loads(DESIGN.read_text()))
    data = b"CDF\x01" + bytes(range(256)) * 40
    key = alice.results.put(sim.id, data)
    assert key.endswith(f"/simulations/{sim.id}.nc")
    assert alice.results.get_bytes(sim.id) == data
    with pytest.raises(DesignError, match="must be a NetCDF file"):
        alice.results.put(sim.id, b"#!/bin/sh\nrm -rf /\n")


@pytest.fixture(params=["in-process", "service"])
def open_store_on(request, db_url, storage):
    """``open_store(user)`` of either backend, with results in ``storage``."""
    results_url, options, _ = storage
    with store_backend(request, db_url, results_url, options) as open_store:
        yield open_store


def test_deleting_a_project_removes_its_results_whoever_ran_them(open_store_on, storage, db_url):
    _, _, read_object = storage
    Accounts(db_url).set_plan("alice", "enterprise")  # organisations: the collaboration feature
    alice, bob = open_store_on("alice"), open_store_on("bob")
    alice.organizations.create("cryo-lab")
    alice.organizations.add_member("cryo-lab", "bob")
    design = json.loads(DESIGN.read_text())
    shared = alice.projects.create("shared", design, organization="cryo-lab")
    kept = alice.projects.create("kept", design)
    data = b"CDF\x01" + bytes(range(256))
    runs = [
        (store, store.simulations.start(project.id, "steady").id)
        for store, project in ((alice, shared), (bob, shared), (alice, kept))
    ]
    keys = [store.results.put(sim, data) for store, sim in runs]
    assert len(set(keys)) == 3 and all(read_object(key) == data for key in keys)

    alice.projects.delete(shared.id)

    for key in keys[:2]:  # alice's run and bob's, under bob's prefix
        with pytest.raises(FileNotFoundError):
            read_object(key)
    with pytest.raises(store_api.NotFoundError):
        bob.results.get_bytes(runs[1][1])
    assert read_object(keys[2]) == data  # another project's result stays
    assert alice.results.get_bytes(runs[2][1]) == data
