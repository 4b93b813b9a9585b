"""The network's range checks and flags, vectorised for large networks (issue 13 item 5),
against the item-by-item rules they implement."""

from __future__ import annotations

import numpy as np
import pytest

from solver import materials
from solver.errors import PropertyRangeError, SolverError
from solver.thermal import build_network
from solver.thermal.results import extrapolation_flags
from solver.thermal.steady import check_steady_posed
from tests.benchmarks.bench_network import random_network


def _flags_one_by_one(net, T) -> list[str]:
    """The rule, link term by link term and stage by stage."""
    notes = []
    for t in range(net.n_tab):
        mat = materials.get(net.material_ids[net.tab_mat[t]])
        ends = T[[net.term_i[t], net.term_j[t]]]
        lo, hi = mat.k_fit_range_K or mat.property_range_K("k")
        if ends.min() < lo or ends.max() > hi:
            notes.append(
                f"link {net.link_ids[net.term_link[t]]!r}: {mat.id} k extrapolated outside its "
                f"fit range {lo:g}-{hi:g} K (ends at {ends.min():.4g}-{ends.max():.4g} K)"
            )
    for n, m in enumerate(net.node_mat):
        if m >= 0:
            mat = materials.get(net.material_ids[m])
            lo, hi = mat.cp_fit_range_K or mat.property_range_K("cp")
            if not lo <= T[n] <= hi:
                notes.append(
                    f"stage {net.node_ids[n]!r}: {mat.id} cp extrapolated outside its fit "
                    f"range {lo:g}-{hi:g} K (at {T[n]:.4g} K)"
                )
    return sorted(set(notes))


def _first_out_of_range(net, T) -> tuple[str, str] | None:
    """(material, node) of the first link end, then stage, outside its supported range."""
    for t in range(net.n_tab):
        mat = materials.get(net.material_ids[net.tab_mat[t]])
        lo, hi = mat.property_range_K("k")
        for n in (net.term_i[t], net.term_j[t]):
            if not lo <= T[n] <= hi:
                return mat.id, net.node_ids[n]
    for n, m in enumerate(net.node_mat):
        if m >= 0:
            mat = materials.get(net.material_ids[m])
            lo, hi = mat.property_range_K("cp")
            if not lo <= T[n] <= hi:
                return mat.id, net.node_ids[n]
    return None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_flags_and_range_errors_match_the_item_by_item_rules(seed):
    net = build_network(random_network(60, 150, seed=seed))
    rng = np.random.default_rng(seed)
    T = net.initial_K.copy()
    T[~net.fixed] = 10 ** rng.uniform(-3.5, 3.6, (~net.fixed).sum())  # 0.3 mK to 4000 K
    assert extrapolation_flags(net, T) == _flags_one_by_one(net, T)
    expected = _first_out_of_range(net, T)
    assert expected is not None
    with pytest.raises(PropertyRangeError) as error:
        net.check_temperatures(T)
    assert f"{expected[0]} (at node {expected[1]!r})" in str(error.value)
    T[~net.fixed] = 50.0  # inside every range
    net.check_temperatures(T)


def test_posedness_names_only_the_unanchored_group():
    design = random_network(30, 60, seed=4)
    design["components"] += [
        {"id": "lone1", "type": "stage", "material": "SS304", "mass_kg": 1.0},
        {"id": "lone2", "type": "stage", "material": "SS304", "mass_kg": 1.0},
    ]
    design["links"].append(
        {
            "id": "pair",
            "type": "conductor",
            "from": "lone1",
            "to": "lone2",
            "material": "SS304",
            "length_m": 0.1,
            "area_m2": 1e-6,
        }
    )
    net = build_network(design)
    with pytest.raises(SolverError, match=r"stage\(s\) 'lone1', 'lone2' have no path"):
        check_steady_posed(net)
    check_steady_posed(net, anchors=(net.node_ids.index("lone2"),))  # held from outside
