"""``run_analysis``: the one path of every app analysis. The store (here the store service)
checks the plan first, the solver runs where the store placed it, and the run is recorded
with its result in the results storage."""

from __future__ import annotations

import pytest
import xarray as xr

import cryogen_widgets.store as store_api
from cryogen_widgets.runs import run_analysis
from cryogen_widgets.store._engine import dispose_engines, engine_for
from solver import jobs
from solver.errors import SolverError
from tests.store.designs import chain_design
from tests.store.service import ServiceThread


@pytest.fixture
def service(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine_for(url)
    service = ServiceThread(url, str(tmp_path / "results")).start()
    yield service
    service.stop()
    dispose_engines()


def star_design(n_stages: int) -> dict:
    """A 300 K boundary with ``n_stages`` copper stages each hung from it on a G10 rod, the
    first one cooled by a 1 mW constant cooler: ``n_stages + 2`` components."""
    design = chain_design(1)
    stage, link = design["components"][1], design["links"][0]
    design["components"] = [design["components"][0]]
    design["links"] = []
    for i in range(n_stages):
        design["components"].append({**stage, "id": f"s{i}"})
        design["links"].append({**link, "id": f"l{i}", "from": "vessel", "to": f"s{i}"})
    design["components"].append(
        {"id": "cooler", "type": "constant_cooler", "stage": "s0", "power_W": 1e-3}
    )
    return design


def test_an_academic_design_over_the_kernel_limit_runs_on_dask_with_the_same_result(service):
    carol = service.open("carol")  # academic: 100 components in the kernel
    design = star_design(99)  # 101 components
    ds = run_analysis(carol, design, "steady")
    (sim,) = carol.simulations.list()
    assert (sim.execution_mode, sim.status, sim.analysis) == ("dask", "done", "steady")
    assert carol.usage.server_simulations().used == 1
    # The same solver called directly in this process (no store, no Dask) gives the same numbers.
    xr.testing.assert_identical(ds["temperature"], jobs.analyse(design, "steady")["temperature"])
    xr.testing.assert_identical(carol.results.get(sim.id)["temperature"], ds["temperature"])


def test_a_refused_run_never_solves_and_a_failed_one_is_recorded(service):
    carol = service.open("carol")
    with pytest.raises(store_api.PlanLimitError, match="quench analysis is not included"):
        run_analysis(carol, chain_design(), "quench")
    assert carol.simulations.list() == []
    with pytest.raises(SolverError):
        run_analysis(carol, chain_design(), "cooldown")  # no target and no steady state to reach
    (sim,) = carol.simulations.list()
    assert (sim.status, sim.error.split(":")[0]) == ("failed", "SolverError")


def test_the_magnet_summary_includes_quench_only_where_the_plan_does(tmp_path):
    # quench analysis is a Pro feature (DESIGN.md, Plans): the app's magnet analysis of an
    # Academic user shows margins but no hot spot, and says which plan includes it
    import json

    from cryogen_templates import DESIGNS_DIR
    from cryogen_widgets.store.accounts import Accounts

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = store_api.open(url, user="erin")
    design = json.loads((DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").read_text())
    (academic,) = run_analysis(store, design, "field").summaries.values()
    assert academic.hot_spot_K is None and academic.normal_zone_velocity_m_s is None
    assert "pro plan" in academic.quench_note and "/services/billing/" in academic.quench_note
    Accounts(url).set_plan("erin", "pro")
    (pro,) = run_analysis(store, design, "field").summaries.values()
    assert pro.hot_spot_K is not None  # its physics is checked in tests/magnet/test_quench.py
    dispose_engines()


def test_the_magnet_analysis_of_a_3d_coil_file_gives_forces_and_inductance():
    # a 3-D coil file ("symmetry": "none") gets the 3-D summary, not margins computed as
    # if the iron were absent (its numbers are checked in tests/magnet/test_fem3d_coils.py
    # and tests/reports/test_magnet_fem3d_report.py)
    import json

    from cryogen_templates import DESIGNS_DIR
    from cryogen_widgets.runs import magnet_analysis
    from solver.magnet.fem import IronMagnet3DSummary
    from tests.reports.test_magnet_fem3d_report import _coil_file

    design = json.loads((DESIGNS_DIR / "yoked-dipole.cryo.json").read_text())
    component = next(c for c in design["components"] if c["type"] == "magnet")
    component["coil"] = _coil_file()
    run = magnet_analysis(design)
    (summary,) = run.summaries.values()
    assert isinstance(summary, IronMagnet3DSummary)
    assert list(summary.coil_forces.coil.values) == ["a", "b"]
    assert summary.inductance is not None and float(summary.inductance.energy_J) > 0
    assert set(summary.iron_forces) == {"low", "high"}


def test_coils_in_air_without_a_conductor_still_get_their_5_gauss_line():
    import json

    from cryogen_templates import DESIGNS_DIR
    from cryogen_widgets.runs import magnet_analysis
    from solver.magnet import FringeSummary, coil_from_dict, fringe_extent_m

    design = json.loads((DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").read_text())
    component = next(c for c in design["components"] if c["type"] == "magnet")
    coil = json.loads((DESIGNS_DIR / "coils" / "helmholtz.coil.json").read_text())
    component["coil"] = coil
    (summary,) = magnet_analysis(design).summaries.values()
    assert isinstance(summary, FringeSummary) and "no conductor" in summary.note
    assert summary.fringe.equals(fringe_extent_m(coil_from_dict(coil)))
