"""Current leads: the 1-D lead equation, its optimal shape, and vapour cooling by a bath's boil-off.

A lead carrying current I between a colder end (x = 0) and a warmer end (x = L)
obeys (M. N. Wilson, *Superconducting Magnets*, Oxford 1983, §11.2)

    d/dx(k(T) A dT/dx) − ṁ dh/dx + I² ρ(T)/A = 0,

with k(T) from the material library, ρ(T, RRR, B) of copper from NIST Monograph
177 (``solver.materials._resistivity``), and, for a vapour-cooled lead, the bath's
vented gas ṁ in perfect thermal contact with the lead (gas enthalpy h(T) from
CoolProp at the bath pressure), or with a finite lead-to-gas h·P
(``exchange_W_per_m_K``; the gas then has its own temperature,
``solver.kernels.lead_exchange``). The profile is solved by the finite-volume
kernel ``solver.kernels.lead`` (second order in the segment length; the two
halvings of :data:`SEGMENTS` are combined by Richardson extrapolation).

A conduction-cooled lead has an optimal shape (Wilson §11.2; R. McFee, "Optimum
input leads for cryogenic apparatus", Rev. Sci. Instrum. 30 (1959) 98 — title, year
and the form Q = I·sqrt(2∫kρ dT) checked against AntayaScienceAndTechnology/McFee
(McFee_Functions.py, an implementation of the paper); journal volume and page not
checked): the A/L at which no heat leaves the warmer end, and the heat into the
colder end is then

    Q_min = I · sqrt(2 ∫_{T_c}^{T_h} k ρ dT),      I·L/A = ∫_0^{Q_min/I} du / ρ(T(u)),

where T(u) solves 2 ∫_T^{T_h} kρ dT' = u². With the Wiedemann–Franz law
kρ = L₀T this is Q_min = I·sqrt(L₀ (T_h² − T_c²)).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from solver import fluids, materials
from solver.errors import DesignError, SolverError
from solver.kernels.lead import solve_lead_richardson
from solver.kernels.lead_exchange import solve_lead_exchange_richardson
from solver.kernels.lead_optimum import optimal_vapour_lead
from solver.materials._grid import PropertyTable, integrate_pieces
from solver.materials._resistivity import copper_resistivity_notes, copper_resistivity_table

SEGMENTS = 64
"""Segments of the fine mesh of a lead (the coarse one has half); Richardson-combined."""
GAS_SEGMENTS = 128
"""Segments of the fine mesh with a gas flow (the upwind gas term is first order)."""
EXCHANGE_SEGMENTS = 256
"""Segments with a finite lead-to-gas exchange: the gas relaxes to the lead over
ṁ cp/(hP), a few cm for a 100 A lead, which 128 segments of a 1 m lead resolve only
to ~0.3 % in the warm-end heat (0.1 % with 256; the cold-end heat to 4e-6)."""

BOIL_OFF_TOLERANCE = 1e-10
"""Relative residual of the self-consistent vented gas flow (and of its bracket)."""
MAX_BOIL_OFF_ITERATIONS = 200
CONTINUATION_MIN_STEP = 1.0 / 64
"""Smallest step of the Joule-heat continuation before a lead is declared runaway."""

VAPOUR_OPTIMUM_STEP_K = 1e-3
"""Warm-end step of the optimal vapour-cooled lead's difference quotient, K."""
MAX_GAS_SEGMENTS = 1024
"""Finest mesh tried for a vapour-cooled lead near its optimum (see ``Lead.ends``)."""

_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)  # optimal-shape integral (smooth integrand)


@functools.cache
def _unit_positions(n: int) -> np.ndarray:
    """Node positions 0, 1/n, …, 1 of an n-segment lead (read-only, shared)."""
    s = np.linspace(0.0, 1.0, n + 1)
    s.flags.writeable = False
    return s


def _copper_rrr(material_id: str, rrr: float | None) -> float | None:
    """RRR of a copper lead: ``rrr`` when given, else from the id (``OFHC-Cu-RRR100``); None if not copper."""
    if rrr is not None:
        return float(rrr)
    if material_id.startswith("OFHC-Cu-RRR"):
        return float(material_id.removeprefix("OFHC-Cu-RRR"))
    return None


@dataclass(frozen=True)
class LeadMaterial:
    """k(T) and ρ(T) tables of a lead's conductor.

    Attributes
    ----------
    material : str — library id of the conductor (k(T)).
    rrr : float or None — copper RRR (None for a superconducting section).
    field_T : float — field along the lead for copper magnetoresistance, T.
    superconducting : bool — ρ = 0 (the current flows in a superconductor; k from ``material``).
    """

    material: str
    rrr: float | None
    field_T: float = 0.0
    superconducting: bool = False

    @functools.cached_property
    def k_table(self) -> PropertyTable:
        return materials.get(self.material).k_table

    @functools.cached_property
    def rho_table(self) -> PropertyTable | None:
        if self.superconducting:
            return None
        return copper_resistivity_table(self.rrr, self.field_T)

    @property
    def normal_rho_table(self) -> PropertyTable:
        """ρ(T) of a normal-metal lead; DesignError for a superconducting section (no ρ table)."""
        if self.rho_table is None:
            raise DesignError(
                f"{self.material}: a superconducting section has no resistivity table"
            )
        return self.rho_table

    @functools.cached_property
    def top_K(self) -> float:
        """Highest grid temperature with k data, K (a lead hotter than this has burnt out)."""
        top = materials.get(self.material).property_range_K("k")[1]
        grid = materials.GRID.T
        return float(grid[np.searchsorted(grid, top, side="right") - 1])

    @functools.cached_property
    def k_rho_table(self) -> PropertyTable:
        """∫kρ dT (W·Ω) and kρ (W·Ω/K) on ``GRID.T`` (Gauss–Legendre between grid nodes)."""
        mat = materials.get(self.material)
        lo, hi = mat.property_range_K("k")
        T = materials.GRID.T
        inside = (T >= lo) & (T <= hi)

        def k_rho(t):
            return mat.k(t) * np.interp(t, T, self.normal_rho_table.F)

        pieces = integrate_pieces(k_rho, T[inside])
        F = np.full(T.size, np.nan)
        first = int(np.argmax(inside))
        F[first : first + pieces.size + 1] = np.concatenate([[0.0], np.cumsum(pieces)])
        f = np.full(T.size, np.nan)
        f[inside] = k_rho(T[inside])
        return PropertyTable(F, f)


def lead_material(
    material: str, rrr: float | None = None, field_T: float = 0.0, superconducting: bool = False
) -> LeadMaterial:
    """The conductor of a lead, checked: copper needs an RRR (from the id or ``rrr``), others are refused.

    Raises DesignError for a non-copper normal-metal lead (no sourced ρ(T) in the
    library), a non-finite or negative field, or an unknown material.
    """
    materials.get(material)  # unknown names raise with the closest valid ones
    if not (math.isfinite(field_T) and field_T >= 0):
        raise DesignError(f"lead field_T must be a finite field >= 0 T, got {field_T!r}")
    if superconducting:
        return LeadMaterial(material, None, field_T, True)
    copper_rrr = _copper_rrr(material, rrr)
    if copper_rrr is None:
        raise DesignError(
            f"lead material {material!r}: only copper has a sourced resistivity ρ(T) (NIST "
            "Monograph 177); use an OFHC-Cu-RRR* material or give rrr for copper"
        )
    copper_resistivity_table(copper_rrr, field_T)  # RRR range check
    return LeadMaterial(material, copper_rrr, field_T, False)


@dataclass
class LeadEnds:
    """Heat at the two ends of one lead and its derivatives (SI).

    Attributes
    ----------
    q_cold_W : float — heat the lead delivers into its colder (end-0) node, W.
    q_warm_W : float — heat the lead draws from its warmer (end-N) node, W
        (negative when the lead heats that node).
    jacobian : ndarray, shape (2, 2) — [[dq_cold/dT_cold, dq_cold/dT_warm],
        [dq_warm/dT_cold, dq_warm/dT_warm]], W/K.
    d_dmdot : ndarray, shape (2,) — (dq_cold/dṁ, dq_warm/dṁ), J/kg.
    profile_K : ndarray — temperatures of the fine mesh from the colder to the warmer end, K.
    """

    q_cold_W: float
    q_warm_W: float
    jacobian: np.ndarray
    d_dmdot: np.ndarray
    profile_K: np.ndarray

    def into_nodes(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Heat into the (colder, warmer) end nodes of ``count`` such leads, W, and its
        Jacobian in their temperatures, W/K (the network's terminal-element form)."""
        Q = np.array((count * self.q_cold_W, -count * self.q_warm_W))
        return Q, self.jacobian * np.array(((count,), (-count,)))


@dataclass
class Lead:
    """One fixed-geometry lead: a conductor, current, length and area, optionally vapour cooled.

    ``ends(T_cold, T_warm, mdot)`` solves it; the last profile is kept as the next
    starting guess (the network Newton calls it many times with nearby ends).
    """

    name: str
    conductor: LeadMaterial
    current_A: float
    length_m: float
    area_m2: float
    gas: PropertyTable | None = None  # vapour h(T), cp(T) of the bath's gas (vapour cooling)
    exchange_W_per_m_K: float | None = None  # lead-to-gas h·P; None: perfect exchange
    segments: int | None = None  # default SEGMENTS, GAS_SEGMENTS with a gas table
    mdot_guess: float = 0.0  # last self-consistent vented gas, kg/s (starting point)
    _guess: dict = field(default_factory=dict, repr=False)
    _last: tuple | None = field(default=None, repr=False)  # (ends, LeadEnds) of the last solve
    _kernel_args: tuple | None = field(default=None, repr=False)  # (gas, kernel table arguments)
    _gas_guess: dict = field(default_factory=dict, repr=False)  # gas profiles (finite exchange)
    _refined_segments: int = field(default=0, repr=False)  # finer mesh a gas flow needed

    def __post_init__(self) -> None:
        for label, value in (
            ("current_A", self.current_A),
            ("length_m", self.length_m),
            ("area_m2", self.area_m2),
        ):
            if not math.isfinite(value) or value < 0 or (value == 0 and label != "current_A"):
                raise DesignError(
                    f"lead {self.name!r}: {label} must be finite and > 0, got {value!r}"
                )
        h = self.exchange_W_per_m_K
        if h is not None and not (math.isfinite(h) and h > 0):
            raise DesignError(f"lead {self.name!r}: exchange_W_per_m_K must be finite and > 0")
        if self.segments is not None and (self.segments < 4 or self.segments % 2):
            raise DesignError(f"lead {self.name!r}: segments must be even and >= 4")

    def _tables(self) -> tuple:
        """The kernels' ``tables`` argument (``solver.kernels.lead.solve_lead``), kept until
        ``gas`` changes."""
        if self._kernel_args is not None and self._kernel_args[0] is self.gas:
            return self._kernel_args[1]
        grid = materials.GRID
        k_tab = self.conductor.k_table
        rho = self.conductor.rho_table
        gas = self.gas
        empty = k_tab.F  # placeholder array for an unused table
        args = (
            grid.log_t0,
            grid.inv_dlog,
            grid.T,
            k_tab.F,
            k_tab.f,
            rho.F if rho is not None else empty,
            rho.f if rho is not None else empty,
            rho is not None and self.current_A > 0,
            gas.F if gas is not None else empty,
            gas.f if gas is not None else empty,
            gas is not None,
            self.conductor.top_K,
        )
        self._kernel_args = (gas, args)
        return args

    def _run(self, n: int, profile: np.ndarray, gas: np.ndarray | None, joule_scale: float, mdot):
        """One kernel solve from ``profile`` (and the gas ``gas`` with a finite exchange), both
        solved in place, with the Joule heat scaled by ``joule_scale``; the kernel's output."""
        d = self.length_m / n
        joule = joule_scale * self.current_A**2 * d / self.area_m2
        h = self.exchange_W_per_m_K
        if gas is None or h is None:
            return solve_lead_richardson(profile, self.area_m2 / d, joule, mdot, self._tables())
        return solve_lead_exchange_richardson(
            profile,
            gas,
            self.area_m2 / d,
            joule,
            h * d,
            mdot,
            self._tables(),
        )

    def _continued(self, n: int, T_cold: float, T_warm: float, mdot: float):
        """The profile reached by continuation in the Joule heat, I² scaled from 0 to 1.

        Newton from a straight profile diverges for a strongly vapour-cooled lead near its
        optimum (the true profile stays cold over most of the lead and rises steeply at
        the warm end); each step starts from the last converged profile, and a step that
        fails is halved. Returns (kernel output, profile, gas profile or None); the output
        of the last failed step when the continuation stalls (no steady state: runaway).
        """
        s = _unit_positions(n)
        profile = T_cold + (T_warm - T_cold) * s
        exchange = self.exchange_W_per_m_K is not None and self.gas is not None
        gas = profile.copy() if exchange else None
        done, step = 0.0, 0.25
        out = np.zeros(9)
        while done < 1.0:
            scale = min(1.0, done + step)
            trial, trial_gas = profile.copy(), None if gas is None else gas.copy()
            out = self._run(n, trial, trial_gas, scale, mdot)
            if out[8] == 0.0:
                done, profile, gas = scale, trial, trial_gas
                step *= 2.0
            else:
                step *= 0.5
                if step < CONTINUATION_MIN_STEP:
                    return out, trial, trial_gas
        return out, profile, gas

    def _solve(self, n: int, T_cold: float, T_warm: float, mdot: float):
        guess = self._guess.get(n)
        s = _unit_positions(n)
        if guess is None:
            profile = T_cold + (T_warm - T_cold) * s
        else:  # shift the last solution by the change of its ends, linearly along the lead
            profile = guess + (1 - s) * (T_cold - guess[0]) + s * (T_warm - guess[-1])
            np.maximum(profile, min(T_cold, T_warm) * 0.5, out=profile)
        profile[0], profile[-1] = T_cold, T_warm
        gas = None
        if self.exchange_W_per_m_K is not None and self.gas is not None:
            # the gas as a second temperature (its guess: the last gas profile, or the lead)
            gas = self._gas_guess.get(n)
            gas = profile.copy() if gas is None else np.maximum(gas, min(T_cold, T_warm))
        out = self._run(n, profile, gas, 1.0, mdot)
        if out[8] != 0.0 and self.current_A > 0:
            out, profile, gas = self._continued(n, T_cold, T_warm, mdot)
        if gas is not None:
            self._gas_guess[n] = gas
        if out[8] != 0.0:
            self._guess.pop(n, None)
            self._gas_guess.pop(n, None)
            cooled = (
                " A vapour-cooled lead has no steady state above its optimal I·L/A "
                "(solver.thermal.leads.optimal_vapour_cooled_lead): its temperature peaks "
                "inside the lead and runs away."
                if mdot > 0
                else ""
            )
            raise DesignError(
                f"lead {self.name!r} burns out: at {self.current_A:g} A "
                f"(I·L/A = {self.current_A * self.length_m / self.area_m2:.4g} A/m) its "
                f"temperature rises above {self.conductor.top_K:g} K, the top of "
                f"{self.conductor.material}'s data, or runs away (no steady state between "
                f"{T_cold:.4g} K and {T_warm:.4g} K).{cooled} Lower current_A, or shorten "
                "the lead or widen it (area_m2), or use shape 'optimal'"
            )
        self._guess[n] = profile
        return out, profile

    def ends(self, T_cold: float, T_warm: float, mdot: float = 0.0) -> LeadEnds:
        """Solve the lead with its ends at ``T_cold`` (end 0) and ``T_warm`` (end N), kelvin.

        Parameters
        ----------
        T_cold, T_warm : float — end temperatures, K (any order; "cold" names end 0,
            where a vapour-cooled lead's gas enters).
        mdot : float — vented gas flowing from end 0 to end N, kg/s (needs ``gas``).

        Returns
        -------
        LeadEnds — Richardson combination of the mesh and its half
        (``solver.kernels.lead.solve_lead_richardson``).
        """
        key = (T_cold, T_warm, mdot)
        if self._last is not None and self._last[0] == key:  # the network asks again at one T
            return self._last[1]
        for label, value in (("T_cold", T_cold), ("T_warm", T_warm), ("mdot", mdot)):
            if not math.isfinite(value):
                raise DesignError(f"lead {self.name!r}: {label} must be finite, got {value!r}")
        if mdot != 0.0 and self.gas is None:
            raise DesignError(f"lead {self.name!r}: a gas flow needs the bath's gas table")
        if self.segments:
            n = self.segments
        elif self.gas is None:
            n = SEGMENTS
        else:
            n = GAS_SEGMENTS if self.exchange_W_per_m_K is None else EXCHANGE_SEGMENTS
        n = max(n, self._refined_segments)
        while True:
            try:
                best, profile = self._solve(n, T_cold, T_warm, mdot)
                break
            except DesignError:
                # near its optimum a vapour-cooled lead has a steady state only on a fine
                # enough mesh (the upwind gas term moves the limit by ~1/n): refine, and keep
                # the finer mesh for this lead so that its heat stays one smooth function
                if mdot == 0.0 or self.segments or n >= MAX_GAS_SEGMENTS:
                    raise
                n *= 2
                self._refined_segments = n
        result = LeadEnds(
            q_cold_W=float(best[0]),
            q_warm_W=float(best[1]),
            jacobian=best[2:6].reshape(2, 2).copy(),
            d_dmdot=best[6:8].copy(),
            profile_K=profile.copy(),
        )
        self._last = (key, result)
        return result

    def flags(self, profile_K: np.ndarray) -> list[str]:
        """Range notes of a solved profile (copper above its resistivity fit)."""
        if self.conductor.superconducting or self.current_A == 0:
            return []
        return copper_resistivity_notes(float(profile_K.max()), f"lead {self.name!r}")


# ----------------------------------------------------------------------------- optimal shape


@dataclass(frozen=True)
class OptimalLead:
    """The conduction-cooled lead of least heat into its colder end (SI).

    Attributes
    ----------
    q_cold_W : float — heat into the colder end, I·sqrt(2∫kρ dT), W.
    current_length_over_area_A_per_m : float — the optimum I·L/A, A/m.
    dq_dT_cold, dq_dT_warm : float — derivatives of q_cold_W, W/K.
    """

    q_cold_W: float
    current_length_over_area_A_per_m: float
    dq_dT_cold: float
    dq_dT_warm: float


def optimal_conduction_lead(
    conductor: LeadMaterial, current_A: float, T_cold: float, T_warm: float, shape: bool = True
) -> OptimalLead:
    """Optimal conduction-cooled lead between ``T_cold`` and ``T_warm`` (K) at ``current_A`` (A).

    At the optimum no heat leaves the warmer end; Q = I·sqrt(2 G), G = ∫_{Tc}^{Th} kρ dT,
    dQ/dT_h = I² k_h ρ_h / Q, dQ/dT_c = −I² k_c ρ_c / Q (Wilson 1983, §11.2).
    ``shape=False`` skips the I·L/A integral (NaN then): the network needs only the heat.
    """
    if not (math.isfinite(T_cold) and math.isfinite(T_warm) and T_warm > T_cold > 0):
        raise DesignError(
            f"optimal lead: needs finite ends with T_warm > T_cold > 0 K, got {T_cold!r}, {T_warm!r}"
        )
    if conductor.superconducting:
        raise DesignError("optimal lead: a superconducting section has no Joule heat to balance")
    tab = conductor.k_rho_table
    T = materials.GRID.T
    ends = np.array((T_cold, T_warm))
    G_c, G_h = np.interp(ends, T, tab.F).tolist()
    kr_c, kr_h = np.interp(ends, T, tab.f).tolist()
    if not (math.isfinite(G_c) and math.isfinite(G_h)):
        lo, hi = materials.get(conductor.material).property_range_K("k")
        raise DesignError(
            f"optimal lead: ends {T_cold:g}-{T_warm:g} K outside {conductor.material}'s k range {lo:g}-{hi:g} K"
        )
    two_g = 2.0 * (G_h - G_c)
    q = current_A * math.sqrt(two_g)
    ila = (
        _optimal_current_length_over_area(conductor, T_cold, T_warm, G_c, G_h)
        if shape
        else math.nan
    )
    if q > 0:
        return OptimalLead(q, ila, -(current_A**2) * kr_c / q, current_A**2 * kr_h / q)
    return OptimalLead(0.0, ila, 0.0, 0.0)


def _optimal_current_length_over_area(conductor, T_cold, T_warm, G_c, G_h) -> float:
    """I·L/A = ∫_0^{u_c} du/ρ(T(u)) with 2(G_h − G(T)) = u², Gauss–Legendre in u, A/m."""
    T = materials.GRID.T
    tab = conductor.k_rho_table
    u_c = math.sqrt(2.0 * (G_h - G_c))
    u = 0.5 * u_c * (_GL_X + 1.0)
    G_at = G_h - 0.5 * u * u
    inside = (T > T_cold) & (T < T_warm)
    T_at = np.interp(G_at, np.r_[G_c, tab.F[inside], G_h], np.r_[T_cold, T[inside], T_warm])
    rho = np.interp(T_at, T, conductor.rho_table.F)
    return float(0.5 * u_c * np.sum(_GL_W / rho))


# ----------------------------------------------------------------------------- vapour cooling


@dataclass(frozen=True)
class VapourCooledLead:
    """A vapour-cooled lead solved together with the boil-off it causes (SI).

    Attributes
    ----------
    q_cold_W : float — heat into the bath per lead, W.
    q_warm_W : float — heat drawn from the warm end per lead, W.
    mdot_kg_s : float — vented gas through each lead, kg/s.
    boil_off_L_per_day : float — bath liquid lost per day through all ``count`` leads.
    profile_K : ndarray — lead temperatures, bath end first.
    """

    q_cold_W: float
    q_warm_W: float
    mdot_kg_s: float
    boil_off_L_per_day: float
    profile_K: np.ndarray


def vapour_cooled_lead(
    lead: Lead, bath: fluids.BathState, T_warm: float, other_heat_W: float = 0.0
) -> VapourCooledLead:
    """Solve a vapour-cooled lead standing in ``bath`` with its warm end at ``T_warm`` (K).

    The gas through the lead is its share of the bath's vented gas,
    ṁ = (q_cold + other_heat_W)·(1 − ρ_v/ρ_l)/h_fg (DESIGN.md), ``other_heat_W``
    being the rest of the bath's net heat per lead, W (≥ 0). Newton on ṁ with dq_cold/dṁ.
    """
    if lead.gas is None:
        lead.gas = fluids.vapour_enthalpy_table(bath.fluid, bath.pressure_Pa)
    T_cold = bath.temperature_K
    per_watt = bath.vented_gas_kg_s(1.0)
    # g(ṁ) = ṁ − per_watt·(q_cold(ṁ) + other) rises with ṁ (q_cold falls). Below some flow
    # the lead has no steady state (it runs away: more gas is needed, the g < 0 side), and
    # near that flow q_cold(ṁ) turns vertical, so a Newton step overshoots into it: the
    # flow is bracketed [lo, hi] and a Newton step leaving the bracket is replaced by
    # bisection (geometric while the bracket spans decades).
    lo, hi = 0.0, math.inf
    lo_runaway: DesignError | None = None  # the lead's error at lo when it has no steady state
    mdot = lead.mdot_guess
    for _ in range(MAX_BOIL_OFF_ITERATIONS):
        try:
            e = lead.ends(T_cold, T_warm, mdot)
        except DesignError as exc:
            lo, lo_runaway = mdot, exc
            e = None
        if e is not None:
            g = mdot - per_watt * (e.q_cold_W + other_heat_W)
            if abs(g) <= BOIL_OFF_TOLERANCE * max(mdot, 1e-300):
                break
            if g < 0:
                lo, lo_runaway = mdot, None
            else:
                hi = mdot
            new = mdot - g / (1.0 - per_watt * e.d_dmdot[0])
        else:
            new = math.nan
        if not lo < new < hi:
            if not math.isfinite(hi):
                new = 4.0 * mdot if mdot > 0 else 1e-9 * max(lead.current_A, 1.0)
            elif lo > 0 and hi > 10 * lo:
                new = math.sqrt(lo * hi)
            else:
                new = 0.5 * (lo + hi)
        if math.isfinite(hi) and hi - lo <= BOIL_OFF_TOLERANCE * hi:
            if lo_runaway is not None:  # the flow that would balance the bath has no steady lead
                raise lo_runaway
            mdot = new
            break
        mdot = new
    else:
        raise SolverError(
            f"lead {lead.name!r}: vapour cooling and boil-off did not agree in "
            f"{MAX_BOIL_OFF_ITERATIONS} lead solves; try a shorter lead or a larger area_m2"
        )
    lead.mdot_guess = mdot
    e = lead.ends(T_cold, T_warm, mdot)
    return VapourCooledLead(
        q_cold_W=e.q_cold_W,
        q_warm_W=e.q_warm_W,
        mdot_kg_s=mdot,
        boil_off_L_per_day=bath.boil_off_L_per_day(e.q_cold_W + other_heat_W),
        profile_K=e.profile_K,
    )


def _warm_end_shot(
    conductor: LeadMaterial, gas: PropertyTable, m_per_A: float, T_cold: float, T_warm: float
) -> tuple[float, float]:
    """The optimal vapour-cooled lead at a given gas flow per ampere ``m_per_A`` (kg/(s·A)).

    The optimum draws no heat from the warm end; integrated from there until the lead
    reaches ``T_cold`` (``solver.kernels.lead_optimum``), the distance travelled times
    I/A is the optimum I·L/A.

    Returns
    -------
    (I·L/A in A/m, heat into the cold end per ampere in W/A).
    """
    grid = materials.GRID
    k, rho = conductor.k_table, conductor.normal_rho_table
    tables = (grid.log_t0, grid.inv_dlog, grid.T, k.F, k.f, rho.F, rho.f, gas.F, gas.f)
    q, ila = optimal_vapour_lead(T_cold, T_warm, m_per_A, tables)
    return float(ila), float(q)


@dataclass
class OptimalVapourLead:
    """The vapour-cooled lead of least heat into its colder end at each gas flow (perfect exchange).

    ``ends(T_cold, T_warm, mdot)`` has the interface of :meth:`Lead.ends`: the optimum
    at that flow (:func:`_warm_end_shot`) draws no heat from the warm end, and since the
    cold-end heat is stationary in I·L/A there, its derivatives are those at the
    optimal shape held fixed: dq/dT_cold = I (m̃ cp − kρ/q̃) at the cold end (the slope
    of q̃(T) along the profile), dq/dT_warm and dq/dṁ by one-sided differences of the
    shot. With the network's self-consistent flow this is also the optimum with the
    boil-off solved together (the flow only lowers the cold-end heat).
    """

    name: str
    conductor: LeadMaterial
    current_A: float
    gas: PropertyTable
    current_length_over_area_A_per_m: float = math.nan  # of the last solve
    _last: tuple | None = field(default=None, repr=False)

    def ends(self, T_cold: float, T_warm: float, mdot: float = 0.0) -> LeadEnds:
        key = (T_cold, T_warm, mdot)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        I = self.current_A
        if not T_warm > T_cold or I == 0:  # no optimum (a Newton iterate with crossed ends)
            ends = LeadEnds(0.0, 0.0, np.zeros((2, 2)), np.zeros(2), np.array((T_cold, T_warm)))
            self._last = (key, ends)
            return ends
        if T_warm > self.conductor.top_K:
            raise DesignError(
                f"lead {self.name!r}: its warm end at {T_warm:.4g} K is above "
                f"{self.conductor.top_K:g} K, the top of {self.conductor.material}'s data"
            )
        m = mdot / I
        ila, q = _warm_end_shot(self.conductor, self.gas, m, T_cold, T_warm)
        dT = VAPOUR_OPTIMUM_STEP_K
        dm = max(m, 1e-12) * 1e-6
        q_warm_up = _warm_end_shot(self.conductor, self.gas, m, T_cold, T_warm + dT)[1]
        q_m_up = _warm_end_shot(self.conductor, self.gas, m + dm, T_cold, T_warm)[1]
        T = materials.GRID.T
        k, rho, cp = (
            float(np.interp(T_cold, T, tab))
            for tab in (self.conductor.k_table.f, self.conductor.normal_rho_table.F, self.gas.f)
        )
        dq_dTc = I * (m * cp - k * rho / q) if q > 0 else 0.0
        jacobian = np.array(((dq_dTc, I * (q_warm_up - q) / dT), (0.0, 0.0)))
        ends = LeadEnds(
            q_cold_W=I * q,
            q_warm_W=0.0,
            jacobian=jacobian,
            d_dmdot=np.array(((q_m_up - q) / dm, 0.0)),
            profile_K=np.array((T_cold, T_warm)),
        )
        self.current_length_over_area_A_per_m = ila
        self._last = (key, ends)
        return ends

    def flags(self, profile_K: np.ndarray) -> list[str]:
        """Range notes (copper above its resistivity fit)."""
        return copper_resistivity_notes(float(profile_K.max()), f"lead {self.name!r}")


def optimal_vapour_cooled_lead(
    conductor: LeadMaterial, current_A: float, bath: fluids.BathState, T_warm: float
) -> OptimalLead:
    """The vapour-cooled lead of least heat into its bath at ``current_A`` (A), warm end at ``T_warm`` (K).

    The optimum at a given gas flow is :func:`_warm_end_shot`; the gas is the lead's own
    boil-off, m̃ = q̃_c (1 − ρ_v/ρ_l)/h_fg (DESIGN.md), found by a bracketed root in m̃.

    Returns
    -------
    OptimalLead — q_cold_W, the optimum I·L/A (A/m); derivatives are not defined (0).
    """
    if not (math.isfinite(T_warm) and T_warm > bath.temperature_K):
        raise DesignError(
            f"vapour-cooled lead: warm end {T_warm!r} K must be above the bath's "
            f"{bath.temperature_K:.4g} K"
        )
    gas = fluids.vapour_enthalpy_table(bath.fluid, bath.pressure_Pa)
    T_cold = bath.temperature_K
    per_watt = bath.vented_gas_kg_s(1.0)

    def shoot(m_per_A: float) -> tuple[float, float]:
        return _warm_end_shot(conductor, gas, m_per_A, T_cold, T_warm)

    q_conduction = optimal_conduction_lead(conductor, 1.0, T_cold, T_warm).q_cold_W
    m_per_A = optimize.brentq(
        lambda m: m - per_watt * shoot(m)[1], 0.0, per_watt * q_conduction, xtol=1e-16, rtol=1e-12
    )
    ila, q_per_A = shoot(m_per_A)
    return OptimalLead(current_A * q_per_A, ila, 0.0, 0.0)
