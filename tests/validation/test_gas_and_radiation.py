"""Gas gaps across regimes and radiation between concentric surfaces.

References
----------
- Free-molecular conduction: Corruccini, Vacuum 7-8 (1959) 19 (Ekin 2006 eq. 2.12).
- Continuum: Fourier conduction k·A/d through the gas (k from CoolProp).
- Transition: Sherman's interpolation, 1/G = 1/G_fm + 1/G_c (Sherman 1963; Springer 1971;
  neither paper seen, references unverified); regime bounds Kn < 0.01 continuum, Kn > 10
  free-molecular (Schaaf & Chambré 1961: book confirmed, page not seen).
- Concentric cylinders/spheres: Q = σA₁(T₁⁴ − T₂⁴)/(1/ε₁ + (A₁/A₂)(1/ε₂ − 1))
  (Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, Table 13.3; table number
  not checked against a copy).
"""

from __future__ import annotations

import math

import pytest
from CoolProp.CoolProp import PropsSI

import solver
from solver import gases
from solver.thermal.results import summary_dict

SIGMA = 5.670374419e-8  # W m⁻² K⁻⁴, CODATA 2018 (exact)
R = 8.314462618  # J/(mol K), CODATA 2018 (exact)


def two_nodes(link: dict, T_hot=300.0, T_cold=77.0) -> dict:
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "hot", "type": "boundary", "temperature_K": T_hot},
            {"id": "cold", "type": "boundary", "temperature_K": T_cold},
        ],
        "links": [{"id": "x", "from": "hot", "to": "cold", **link}],
    }


def corruccini(p, T_gauge=300.0, area=0.01):
    """Helium, α = 1: α A p (γ+1)/(γ−1) sqrt(R/(8πMT)), γ = 5/3."""
    return area * p * 4.0 * math.sqrt(R / (8 * math.pi * 4.002602e-3 * T_gauge))


def test_gap_tends_to_free_molecular_at_low_pressure():
    link = {"type": "gas", "species": "He", "area_m2": 0.01, "pressure_Pa": 1e-3, "gap_m": 0.005}
    ds = solver.steady_state(two_nodes(link))
    Q = summary_dict(ds)["heat_flows_W"]["x"]
    assert Q == pytest.approx(corruccini(1e-3) * 223.0, rel=1e-4)  # Kn ~ 1e4: G_c/G_fm ~ 1e4
    assert "regime" not in ds.attrs["flags"]


def test_gap_tends_to_continuum_at_high_pressure_and_flags_transition():
    gap, area, p = 1e-3, 0.01, 1e4
    G, kn, regime = gases.gap_conductance("He", area, gap, p, 300.0, 1.0)
    k = PropsSI("L", "T", 300.0, "P", p, "Helium")
    assert regime == "continuum" and kn < 0.01
    # series with G_fm = G_c/(Kn-sized): within 3 % of k·A/d at Kn ~ 2e-3
    assert G == pytest.approx(k * area / gap, rel=0.03)
    assert G < k * area / gap
    mid = {"type": "gas", "species": "He", "area_m2": area, "pressure_Pa": 10.0, "gap_m": gap}
    ds = solver.steady_state(two_nodes(mid))
    assert "transition regime" in ds.attrs["flags"]


def test_mli_gas_term_flagged_above_free_molecular_pressure():
    mli = {
        "type": "mli",
        "area_m2": 1.0,
        "layers": 30,
        "layer_density_per_cm": 20,
        "pressure_Pa": 1e4,
        "gas": "He",
    }
    ds = solver.steady_state(two_nodes(mli))
    assert "Lockheed gas term is outside its regime" in ds.attrs["flags"]
    ds = solver.steady_state(two_nodes(dict(mli, pressure_Pa=1e-4)))
    assert "Lockheed" not in ds.attrs["flags"]


@pytest.mark.parametrize("ratio", [1.0, 1.1, 2.0])
def test_concentric_surfaces_area_ratio(ratio):
    a1, e1, e2 = 0.5, 0.05, 0.1
    link = {
        "type": "radiation",
        "area_m2": a1 * ratio,
        "area_to_m2": a1,
        "emissivity_from": e2,
        "emissivity_to": e1,
    }  # outer shield radiates onto inner
    ds = solver.steady_state(two_nodes(link, 80.0, 4.2))
    expected = SIGMA * a1 * (80.0**4 - 4.2**4) / (1 / e1 + (1 / ratio) * (1 / e2 - 1))
    assert summary_dict(ds)["heat_flows_W"]["x"] == pytest.approx(expected, rel=1e-12)
