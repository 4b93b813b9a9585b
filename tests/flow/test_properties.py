"""Fluid states: the (ρ, T) Newton path agrees with CoolProp's own (h, p) flash; range checks."""

from __future__ import annotations

import pytest
from CoolProp.CoolProp import PropsSI

from solver.flow.properties import Fluid, OutOfRange


@pytest.mark.parametrize(
    "fluid,p,T",
    [
        ("Helium", 4e5, 4.6),
        ("Helium", 1.2e5, 80.0),
        ("Nitrogen", 3e5, 78.0),
        ("Nitrogen", 1e5, 90.0),
    ],
)
def test_state_from_a_nearby_guess_matches_the_flash(fluid, p, T):
    fl = Fluid(fluid)
    fl.state_ph(p, PropsSI("H", "P", p, "T", T * 1.01, fluid), "slot")  # leaves a guess at "slot"
    h = PropsSI("H", "P", p, "T", T, fluid)
    s = fl.state_ph(p, h, "slot")
    # 1e-9: CoolProp's flash (tolerance ~1e-9 in T) against the Newton path (converged to 1e-13)
    assert s.T == pytest.approx(T, rel=1e-9)
    assert s.rho == pytest.approx(PropsSI("D", "P", p, "T", T, fluid), rel=1e-9)
    assert s.mu == pytest.approx(PropsSI("V", "P", p, "T", T, fluid), rel=1e-8)


def test_two_phase_state_and_lambda_point_refusal():
    fl = Fluid("He")
    h = PropsSI("H", "P", 1e5, "Q", 0.3, "Helium")
    assert fl.state_ph(1e5, h).x == pytest.approx(0.3, abs=1e-9)
    with pytest.raises(OutOfRange, match="lambda point"):
        fl.h_pT(3e3, 2.0, "flow boundary 'in'")
