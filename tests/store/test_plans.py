"""Plan tiers: the data file, the kernel environment and the checks that enforce them."""

from __future__ import annotations

import dataclasses
import json

import pytest

from cryogen_widgets.store import PlanLimitError, QuotaExceededError, StoreError
from cryogen_widgets.store.plans import (
    check_design_allowed,
    check_server_quota,
    kernel_environment,
    load_plans,
    require_feature,
    resolve_plan,
)
from solver.errors import UnknownNameError
from tests.store.designs import chain_design


@pytest.fixture
def table():
    return load_plans()


def _design_with(n_components: int) -> dict:
    # chain_design(k) has k stages + boundary + cooler = k + 2 components
    return chain_design(n_components - 2)


def test_plans_file_holds_the_design_table(table):
    """DESIGN.md 'Plans (tiers)': prices, kernel limits, monthly server simulations, features."""
    assert table.names == ("academic", "pro", "enterprise")
    academic, pro, enterprise = table.plans
    assert (
        academic.price_usd_per_month,
        pro.price_usd_per_month,
        enterprise.price_usd_per_month,
    ) == (
        99,
        299,
        None,
    )
    assert (academic.max_kernel_components, pro.max_kernel_components) == (100, None)
    assert enterprise.max_kernel_components is None
    assert (academic.server_simulations_per_month, pro.server_simulations_per_month) == (20, 200)
    assert enterprise.server_simulations_per_month is None
    assert {"quench_analysis", "vtk_export", "full_materials", "cryocoolers"} <= pro.features
    assert "quench_analysis" not in academic.features
    assert {"custom_components", "collaboration", "on_premise"} <= enterprise.features
    assert table.default == "academic"


def test_design_within_the_kernel_limit_runs_in_the_kernel(table):
    assert check_design_allowed(_design_with(100), "academic", table).where == "kernel"
    assert check_design_allowed(_design_with(5000), "pro", table).where == "kernel"


def test_design_over_the_kernel_limit_goes_to_dask_when_the_plan_has_server_simulations(table):
    placement = check_design_allowed(_design_with(101), "academic", table)
    assert placement.where == "dask"
    assert "101 components is over the academic plan's kernel limit of 100" in placement.reason


def test_design_over_the_limit_of_a_plan_without_server_simulations_is_refused(table, tmp_path):
    no_server = dataclasses.replace(table.get("academic"), server_simulations_per_month=0)
    with pytest.raises(PlanLimitError) as err:
        check_design_allowed(_design_with(150), no_server, table)
    assert str(err.value) == (
        "this design has 150 components; the academic plan solves up to 100 in the kernel and "
        "includes no server simulations. The pro plan lifts this (unlimited components in the "
        "kernel): upgrade on /services/billing/"
    )


def test_the_kernel_plan_comes_from_the_environment(table, monkeypatch):
    monkeypatch.setenv("CRYOGEN_PLAN", "pro")
    assert resolve_plan(None, table).name == "pro"
    monkeypatch.setenv("CRYOGEN_PLAN", "professional")
    with pytest.raises(UnknownNameError, match="unknown plan 'professional'; closest valid: pro"):
        resolve_plan(None, table)


def test_gated_features_name_the_plan_that_includes_them(table):
    require_feature("quench_analysis", "pro", table)
    with pytest.raises(PlanLimitError, match=r"not included in the academic plan\. The pro plan"):
        require_feature("quench_analysis", "academic", table)
    with pytest.raises(PlanLimitError, match="The enterprise plan lifts this"):
        require_feature("custom_components", "pro", table)
    with pytest.raises(UnknownNameError, match="closest valid: vtk_export"):
        require_feature("vtk-export", "pro", table)


def test_server_quota_message_names_month_count_and_upgrade(table):
    check_server_quota(19, table.get("academic"), table, "2026-11")
    with pytest.raises(QuotaExceededError) as err:
        check_server_quota(20, table.get("academic"), table, "2026-11")
    assert str(err.value) == (
        "the academic plan's 20 server simulations for 2026-11 are used (20 run); the count "
        "resets on 2026-12-01 (UTC). Until then run designs within the kernel limit. The pro "
        "plan lifts this (200 server simulations a month): upgrade on /services/billing/"
    )
    with pytest.raises(QuotaExceededError, match="The enterprise plan lifts this"):
        check_server_quota(200, table.get("pro"), table, "2026-11")
    check_server_quota(10**6, table.get("enterprise"), table, "2026-11")


def test_kernel_environment_exports_the_limits(table):
    env = kernel_environment(table.get("academic"), table)
    assert env["CRYOGEN_PLAN"] == "academic"
    assert env["CRYOGEN_MAX_KERNEL_COMPONENTS"] == "100"
    assert env["CRYOGEN_SERVER_SIMULATIONS_PER_MONTH"] == "20"
    assert env["CRYOGEN_FEATURES"] == "basic_materials"
    assert (env["CRYOGEN_CPU_LIMIT"], env["CRYOGEN_MEM_LIMIT"]) == ("1", "4G")
    # Unlimited is left unset: the solver's own scale threshold then applies (DESIGN.md 'Scale').
    env = kernel_environment(table.get("enterprise"), table)
    assert "CRYOGEN_MAX_KERNEL_COMPONENTS" not in env
    assert "CRYOGEN_SERVER_SIMULATIONS_PER_MONTH" not in env


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d["plans"][0].pop("mem_limit"), "plan 'academic' has no field 'mem_limit'"),
        (
            lambda d: d["plans"][1].update(dask_workers="8"),
            "field 'dask_workers' has the wrong type",
        ),
        (lambda d: d["plans"][1].update(gpus=1), r"unknown fields \['gpus'\]"),
        (lambda d: d.update(default_plan="free"), "unknown plan 'free'"),
        (lambda d: d.update(schema="plans"), "'schema' must be 'cryogen/plans@1'"),
    ],
)
def test_a_broken_plans_file_is_refused_naming_the_field(table, tmp_path, edit, match):
    data = json.loads(table.path.read_text())
    edit(data)
    path = tmp_path / "plans.json"
    path.write_text(json.dumps(data))
    with pytest.raises((StoreError, UnknownNameError), match=match):
        load_plans(path)


def test_a_missing_plans_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(StoreError, match="set CRYOGEN_PLANS_FILE"):
        load_plans(tmp_path / "none.json")


@pytest.mark.slow
def test_an_installed_wheel_ships_the_plans_and_the_migrations(tmp_path):
    """The plan table and the migrations' non-Python files are package data (issue 12)."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(repo), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("cryogen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "cryogen_widgets/store/plans.json",
        "cryogen_widgets/store/migrations/alembic.ini",
        "cryogen_widgets/store/migrations/script.py.mako",
    } <= names
    shipped = json.loads(zipfile.ZipFile(wheel).read("cryogen_widgets/store/plans.json"))
    assert [p["name"] for p in shipped["plans"]] == list(load_plans().names)


def test_the_plans_file_can_be_pointed_elsewhere(table, tmp_path, monkeypatch):
    data = json.loads(table.path.read_text())
    data["default_plan"] = "pro"
    path = tmp_path / "site-plans.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("CRYOGEN_PLANS_FILE", str(path))
    assert load_plans().default == "pro"
    assert table.path.parent.name == "store"  # the default is the package's own file
