"""Every gallery template solved and checked against a hand calculation written here.

Hand calculations use only closed forms and scipy quadrature of the material fits
(independent of the solver's Kirchhoff tables), evaluated at the solved temperatures:
each stage's load must equal the sum of its links computed by hand.
"""

from __future__ import annotations

import math

import pytest
from CoolProp.CoolProp import PropsSI
from scipy.integrate import quad
from scipy.optimize import brentq

import solver
import solver.fluids
import solver.magnet
from cryogen_templates import DESIGNS_DIR
from solver import design, materials
from solver.materials._resistivity import copper_resistivity
from solver.thermal.results import summary_dict
from tests.validation.test_current_leads import shooting_heat

SIGMA = 5.670374419e-8  # W m⁻² K⁻⁴, CODATA 2018
MU0 = 1.25663706212e-6  # H/m, CODATA 2018 (as VALIDATION.md)
TORR = 101325.0 / 760.0  # Pa


def k_integral(material_id, T1, T2):
    m = materials.get(material_id)
    return quad(lambda T: float(m.k(T)), T1, T2, epsabs=0, epsrel=1e-11, limit=400)[0]


def conduction(link, T):
    """Q from `from` to `to` of a support/conductor/wiring link, by quadrature of the fits."""
    Ta, Tb = T[link["from"]], T[link["to"]]
    layers = link.get("layers") or [{"material": link["material"], "area_m2": link["area_m2"]}]
    return (
        link.get("count", 1)
        / link["length_m"]
        * sum(lay["area_m2"] * k_integral(lay["material"], Tb, Ta) for lay in layers)
    )


def radiation(link, T):
    return (
        SIGMA
        * link["area_m2"]
        * link["emissivity_eff"]
        * (T[link["from"]] ** 4 - T[link["to"]] ** 4)
    )


def lockheed(link, T):
    """Modified Lockheed equation (Keller et al., NASA CR-134477, 1974; 7.3e-8 constant set), W,
    times the link's degradation factor (seams and penetrations of a real blanket)."""
    Th, Tc, N, Nbar, P = (
        T[link["from"]],
        T[link["to"]],
        link["layers"],
        link["layer_density_per_cm"],
        link["pressure_Pa"] / TORR,
    )
    q = (
        7.3e-8 * Nbar**2.63 * (Th - Tc) * (Th + Tc) / (2 * (N + 1))
        + 7.07e-10 * 0.043 * (Th**4.67 - Tc**4.67) / N
        + 1.46e4 * P * (Th**0.52 - Tc**0.52) / N
    )
    return q * link["area_m2"] * link.get("degradation", 1.0)


def by_hand(link, T):
    return {
        "support": conduction,
        "conductor": conduction,
        "wiring": conduction,
        "radiation": radiation,
        "mli": lockheed,
    }[link["type"]](link, T)


def solve(name):
    d = design.load(DESIGNS_DIR / name).to_dict()
    ds = solver.steady_state(d)
    T = {str(n): float(v) for n, v in zip(ds.node.values, ds.temperature.values, strict=True)}
    return d, ds, T


def check_loads(d, ds, T, extra=None):
    """Each cooled node's load = Σ hand-computed link flows into it + its own heat loads."""
    extra = extra or {}
    for node in ds.node.values:
        load = float(ds.stage_load.sel(node=node))
        if math.isnan(load):
            continue
        into = sum(by_hand(lk, T) for lk in d["links"] if lk["to"] == node) - sum(
            by_hand(lk, T) for lk in d["links"] if lk["from"] == node
        )
        own = next(c for c in d["components"] if c["id"] == node).get(
            "heat_load_W", 0.0
        ) + extra.get(node, 0.0)
        # 1e-6: the solver's conductivity integrals agree with quadrature of the fits to 1e-6
        assert load == pytest.approx(into + own, rel=1e-6, abs=1e-15), node


def test_single_stage_4k():
    d, ds, T = solve("single-stage-4k.cryo.json")
    check_loads(d, ds, T, extra={"plate": 0.5})
    # the published PT415 rating (1.5 W at 4.2 K with 40 W at 45 K) carries this 0.51 W plate
    assert 2.5 < T["plate"] < 4.2 and 30 < T["intercept"] < 45


def test_dilution_refrigerator():
    d, ds, T = solve("dilution-refrigerator.cryo.json")
    check_loads(d, ds, T)
    # mixing chamber: ideal heat exchanger, 84 ṅ T² = 5 µW + conduction from the cold plate (Pobell eq. 7.30)
    flow = 5e-4
    into_mxc = [lk for lk in d["links"] if lk["to"] == "mxc"]

    def imbalance(Tm):
        temps = dict(T, mxc=Tm)
        return 84 * flow * Tm**2 - 5e-6 - sum(conduction(lk, temps) for lk in into_mxc)

    T_mc = brentq(imbalance, 1e-3, 0.099, xtol=1e-15)
    assert T["mxc"] == pytest.approx(T_mc, rel=1e-6)
    assert (
        0.010 < T["mxc"] < 0.012
    )  # ~ sqrt(5 µW / (84 · 500 µmol/s)) = 10.9 mK, plus a little conduction


def test_lhe_dewar():
    d, ds, T = solve("lhe-dewar.cryo.json")
    neck = conduction(d["links"][0], T)
    mli = lockheed(d["links"][1], T)
    load = float(ds.stage_load.sel(node="bath"))
    assert load == pytest.approx(neck + mli, rel=1e-6)
    # boil-off by hand with handbook helium at 1 atm: h_fg = 20.7 kJ/kg, ρ_liquid = 125 kg/m³
    # (Van Sciver, Helium Cryogenics, 2nd ed., Table 2.1); CoolProp agrees within 2 %
    by_hand_l_day = load / 20.7e3 / 125.0 * 1e3 * 86400
    assert solver.fluids.boil_off_rate_l_per_day(load) == pytest.approx(by_hand_l_day, rel=0.02)


def test_nbti_magnet_cryostat():
    d, ds, T = solve("nbti-magnet-cryostat.cryo.json")
    check_loads(d, ds, T)
    coil_dict = next(c for c in d["components"] if c["type"] == "magnet")["coil"]
    coil = coil_dict["coils"][0]
    magnet = solver.magnet.coil_from_dict(coil_dict)
    # centre field of a uniform thick solenoid (Montgomery, Solenoid Magnet Design, eq. 1.23):
    # B0 = μ0 j (L/2) ln[(b + sqrt(b² + (L/2)²)) / (a + sqrt(a² + (L/2)²))], j = N I / (L (b − a))
    a, b, L = coil["inner_radius_m"], coil["outer_radius_m"], coil["length_m"]
    j = coil["turns"] * coil["current_A"] / (L * (b - a))
    B0 = MU0 * j * L / 2 * math.log((b + math.hypot(b, L / 2)) / (a + math.hypot(a, L / 2)))
    assert magnet.field([[0.0, 0.0, 0.0]])[0][2] == pytest.approx(B0, rel=1e-9)
    # the magnet sits on a stage colder than its 4.2 K operating temperature
    assert T["cold_mass"] < coil_dict["operating_temperature_K"]


def optimal_lead_by_hand(link, T_cold, T_warm):
    """count·I·sqrt(2∫kρ dT) by quadrature of the k fit and NIST Monograph 177 ρ (Wilson §11.2)."""
    m = materials.get(link["material"])
    rrr = float(link["material"].removeprefix("OFHC-Cu-RRR"))
    integral = quad(
        lambda t: float(m.k(t)) * copper_resistivity(t, rrr),
        T_cold,
        T_warm,
        epsrel=1e-11,
        limit=400,
    )[0]
    return link["count"] * link["current_A"] * math.sqrt(2.0 * integral)


def test_nbti_magnet_with_leads():
    d, ds, T = solve("nbti-magnet-leads.cryo.json")
    links = {lk["id"]: lk for lk in d["links"]}
    cu = optimal_lead_by_hand(links["cu_leads"], T["shield"], T["vessel"])
    hts = conduction(links["hts_leads"], T)  # superconducting: conduction only, no Joule heat
    others_shield = sum(
        by_hand(lk, T) for lk in d["links"] if lk["to"] == "shield" and "lead" not in lk["id"]
    )
    others_shield -= sum(
        by_hand(lk, T) for lk in d["links"] if lk["from"] == "shield" and "lead" not in lk["id"]
    )
    # 1e-6: tables against quadrature of the same fits, as check_loads
    assert float(ds.stage_load.sel(node="shield")) == pytest.approx(
        others_shield + cu - hts, rel=1e-6
    )
    into_cold = sum(
        by_hand(lk, T) for lk in d["links"] if lk["to"] == "cold_mass" and "lead" not in lk["id"]
    )
    assert float(ds.stage_load.sel(node="cold_mass")) == pytest.approx(into_cold + hts, rel=1e-5)
    # the optimal lead leaves no heat at its warm end; the HTS section passes the same heat through
    ends = summary_dict(ds)["link_end_flows_W"]
    assert ends["cu_leads"]["from"] == 0.0 and ends["cu_leads"]["to"] == pytest.approx(cu, rel=1e-6)
    assert ends["hts_leads"]["from"] == pytest.approx(ends["hts_leads"]["to"], rel=1e-9)
    # the copper leads are the shield's largest load (issue 14: for copper leads, the largest
    # loads on both stages): ~43 W/kA per lead to 4 K, ~42 W/kA to 24 K
    assert cu > max(
        by_hand(lk, T) for lk in d["links"] if lk["to"] == "shield" and lk is not links["cu_leads"]
    )


def test_lhe_storage_dewar():
    """Vapour-cooled neck and shield: every balance by hand, the necks by solve_ivp shooting."""
    d, ds, T = solve("lhe-storage-dewar-100L.cryo.json")
    links = {lk["id"]: lk for lk in d["links"]}
    p = 101325.0
    h_fg = PropsSI("H", "P", p, "Q", 1, "Helium") - PropsSI("H", "P", p, "Q", 0, "Helium")
    rho_l, rho_v = PropsSI("D", "P", p, "Q", 0, "Helium"), PropsSI("D", "P", p, "Q", 1, "Helium")
    load = float(ds.stage_load.sel(node="lhe"))
    mdot = load / h_fg * (1 - rho_v / rho_l)  # the bath's vented gas (DESIGN.md)

    def cp(t):
        if t <= T["lhe"] * (1 + 1e-6):
            return PropsSI("C", "P", p, "Q", 1, "Helium")
        return PropsSI("C", "T", float(t), "P", p, "Helium")

    def neck(link, T_cold, T_warm):
        return shooting_heat(
            "SS304", 100.0, 0.0, link["length_m"], link["area_m2"], T_cold, T_warm, mdot, cp, True
        )

    lower_cold, lower_warm = neck(links["neck_lower"], T["lhe"], T["shield"])
    upper_cold, _ = neck(links["neck_upper"], T["shield"], T["vessel"])
    # bath: inner MLI + what the lower neck delivers; shield: outer MLI + upper neck − lower neck
    # (2e-3: the kernel's first-order upwind gas term, Richardson-combined, against rtol-1e-10 shooting)
    assert load == pytest.approx(lockheed(links["mli_inner"], T) + lower_cold, rel=2e-3)
    shield = (
        lockheed(links["mli_outer"], T) + upper_cold - lower_warm - lockheed(links["mli_inner"], T)
    )
    assert abs(shield) < 2e-3 * lockheed(links["mli_outer"], T)
    # published: LHe storage dewars lose "less than one percent ... to several percent" of their
    # content per day (reference pack, extra2 not_found note); 100 L here
    litres = summary_dict(ds)["boil_off_L_per_day"]["lhe"]
    assert 0.5 < litres < 5.0
    assert litres == pytest.approx(load / (h_fg * rho_l) * 1e3 * 86400, rel=1e-12)


def test_magnet_component_with_bad_coil_names_it():
    d = design.load(DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").to_dict()
    d["components"][-1]["coil"]["coils"][0]["turns"] = -5
    with pytest.raises(solver.DesignError, match=r"'solenoid'.*'coil'.*turns"):
        design.from_dict(d)
