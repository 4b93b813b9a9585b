"""A ``flow`` section turned into flow paths (channels) between fluid nodes, and its balances.

Fluid nodes are the boundaries, the junctions and the interior points of each
pipe (``pipe:1`` … ``pipe:n-1``). A channel is one flow path: a pipe segment, a
valve, a circulator or one stream of a counterflow exchanger. Unknowns: p and h
at every node that is not fixed, the mass flow of every channel. Equations:

- momentum of each channel, p_in − p_out − Δp(ṁ, state) = 0 (Pa); a pipe segment's Δp is
  friction and fittings, plus its hydrostatic head (``rise_m``) and, with ``acceleration``,
  its momentum-flux change;
- mass at each junction, Σ ṁ_in − Σ ṁ_out = 0 (kg/s);
- energy at each junction and outlet, Σ_in (ṁ h_from + Q) − h_j Σ_in ṁ = 0 (W),
  so a junction's enthalpy is the mix of what arrives (upwind, flow from → to).

A pipe segment's properties are taken at its mid state ((p_in + p_out)/2,
(h_in + h_out)/2), second order in the segment length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.interpolate import PchipInterpolator

from solver.flow import correlations as corr
from solver.flow.model import CounterflowHX, Flow, Pipe, Valve
from solver.flow.properties import Fluid, OutOfRange, Saturation, State, fluid

STANDARD_GRAVITY = 9.80665
"""Standard acceleration of gravity, m/s² (3rd CGPM, 1901; exact by definition)."""

KV_PER_CV = 0.865  # Kv (m³/h at 1 bar) per Cv (US gpm at 1 psi), IEC 60534-1; fluids.Cv_to_Kv
WATER_DENSITY = 1000.0  # kg/m³, the reference density in the Kv definition (IEC 60534-1)
BAR = 1e5  # Pa


@dataclass
class Channel:
    kind: str  # "segment", "valve", "circulator", "hx_hot", "hx_cold"
    element: str
    i: int  # from node
    j: int  # to node
    params: dict = field(default_factory=dict)


@dataclass
class Evaluation:
    """Everything one residual evaluation knows about the channels (for results)."""

    Q: np.ndarray  # heat into the fluid per channel, W
    dp: np.ndarray  # p_in − p_out per channel, Pa
    wall_heat: np.ndarray  # heat leaving each thermal node into the fluid, W
    flags: list[str]
    regimes: dict[int, str]


class FlowNetwork:
    """Fluid nodes, channels and unknown layout of one ``flow`` section."""

    def __init__(self, flow: Flow, thermal_ids: list[str]):
        self.flow = flow
        self.fluid: Fluid = fluid(flow.fluid)
        self.node_ids: list[str] = []
        self.kind: list[str] = []
        self.p_fixed: list[float] = []
        self.h_fixed: list[float] = []
        self.init_T: list[float | None] = []
        self.init_p: list[float | None] = []
        self.mfi_flow: dict[int, tuple[float, float]] = {}
        self.channels: list[Channel] = []
        self.pipe_nodes: dict[str, list[int]] = {}
        self._thermal = {nid: k for k, nid in enumerate(thermal_ids)}
        self._build()

    # ------------------------------------------------------------------ building
    def _add_node(self, nid, kind, p=math.nan, h=math.nan, T0=None, p0=None) -> int:
        self.node_ids.append(nid)
        self.kind.append(kind)
        self.p_fixed.append(p)
        self.h_fixed.append(h)
        self.init_T.append(T0)
        self.init_p.append(p0)
        return len(self.node_ids) - 1

    def _build(self) -> None:
        """Nodes and channels of a validated ``flow`` section (see :mod:`solver.flow.validate`)."""
        fl = self.fluid
        for b in self.flow.boundaries:
            where = f"flow boundary {b.id!r}"
            if b.type == "inlet":
                if b.temperature_K is not None:
                    h = fl.h_pT(b.pressure_Pa, b.temperature_K, where)
                else:
                    h = fl.h_px(b.pressure_Pa, b.quality or 0.0, where)
                self._add_node(b.id, "inlet", b.pressure_Pa, h)
            elif b.type == "mass_flow_inlet":
                k = self._add_node(b.id, "mfi")
                self.mfi_flow[k] = (b.mass_flow_kg_s, b.temperature_K)
            elif b.type == "outlet":
                self._add_node(b.id, "outlet", b.pressure_Pa)
            else:
                h = fl.h_px(b.pressure_Pa, 0.0 if b.draw == "liquid" else 1.0, where)
                self._add_node(b.id, "bath", b.pressure_Pa, h)
        for jn in self.flow.junctions:
            kind = "separator" if jn.separator else "junction"
            self._add_node(jn.id, kind, T0=jn.initial_K, p0=jn.initial_Pa)
        index = {nid: k for k, nid in enumerate(self.node_ids)}
        for e in self.flow.elements:
            if isinstance(e, CounterflowHX):
                params = {"hx": e}
                self.channels.append(
                    Channel("hx_hot", e.id, index[e.hot_from], index[e.hot_to], params)
                )
                self.channels.append(
                    Channel("hx_cold", e.id, index[e.cold_from], index[e.cold_to], params)
                )
                continue
            i, j = index[e.from_], index[e.to]
            if isinstance(e, Pipe):
                self._add_pipe(e, i, j)
            elif isinstance(e, Valve):
                if e.area_m2 is not None:  # ṁ = Cd·A·√(2ρΔp)
                    C = e.discharge_coefficient * e.area_m2 * math.sqrt(2.0)
                else:  # Kv [m³/h] = 0.865 Cv; ṁ = (Kv/3600)·√(ρ_w·ρ·Δp/1 bar) = C·√(ρΔp)
                    C = KV_PER_CV * (e.Cv or 0.0) / 3600.0 * math.sqrt(WATER_DENSITY / BAR)
                self.channels.append(
                    Channel("valve", e.id, i, j, {"C": C, "jt": e.type == "jt_valve"})
                )
            else:
                q, dp = np.array(e.curve_kg_s_Pa, dtype=float).T
                self.channels.append(
                    Channel(
                        "circulator",
                        e.id,
                        i,
                        j,
                        {
                            "curve": PchipInterpolator(q, dp, extrapolate=True),
                            "range": (q[0], q[-1]),
                            "eta": e.efficiency,
                        },
                    )
                )

    def _add_pipe(self, e: Pipe, i: int, j: int) -> None:
        wall = -1 if e.wall is None else self._thermal[e.wall]
        n = e.segments
        points = [i] + [self._add_node(f"{e.id}:{k}", "junction") for k in range(1, n)] + [j]
        self.pipe_nodes[e.id] = points
        for k in range(n):
            self.channels.append(
                Channel(
                    "segment",
                    e.id,
                    points[k],
                    points[k + 1],
                    {
                        "pipe": e,
                        "L": e.length_m / n,
                        "heat": e.heat_W / n,
                        "wall": wall,
                        "seg": k,
                        "where": f"pipe {e.id!r} segment {k + 1}",
                        "where_in": f"pipe {e.id!r} segment {k + 1} inlet",
                    },
                )
            )

    # ------------------------------------------------------------------ layout
    def layout(self) -> None:
        """Unknown indices: p and h of free nodes, ṁ of channels; rows likewise."""
        kinds = np.array(self.kind)
        self.p_free = np.flatnonzero(np.isin(kinds, ["junction", "mfi", "separator"]))
        self.h_free = np.flatnonzero(np.isin(kinds, ["junction", "mfi", "outlet", "separator"]))
        self.separators = np.flatnonzero(kinds == "separator")
        self._sep_rows = [
            (row, int(node)) for row, node in enumerate(self.p_free) if kinds[node] == "separator"
        ]
        n = len(self.node_ids)
        self.ip = np.full(n, -1)
        self.ip[self.p_free] = np.arange(self.p_free.size)
        self.ih = np.full(n, -1)
        self.ih[self.h_free] = self.p_free.size + np.arange(self.h_free.size)
        self.im0 = self.p_free.size + self.h_free.size
        self.n_fluid = self.im0 + len(self.channels)
        self.into: list[list[int]] = [[] for _ in range(n)]
        self.out: list[list[int]] = [[] for _ in range(n)]
        for c_index, c in enumerate(self.channels):
            self.out[c.i].append(c_index)
            self.into[c.j].append(c_index)
        nc = len(self.channels)
        self.ci = np.array([c.i for c in self.channels], dtype=np.int64)
        self.cj = np.array([c.j for c in self.channels], dtype=np.int64)
        into = sp.csr_matrix((np.ones(nc), (self.cj, np.arange(nc))), shape=(n, nc))
        out = sp.csr_matrix((np.ones(nc), (self.ci, np.arange(nc))), shape=(n, nc))
        self._in_p, self._out_p = into[self.p_free], out[self.p_free]
        self._in_h = into[self.h_free]
        self.mfi_given = np.zeros(n)
        for node, (flow_kg_s, _) in self.mfi_flow.items():
            self.mfi_given[node] = flow_kg_s
        self._mfi_h_rows = [
            (row, int(node)) for row, node in enumerate(self.h_free) if node in self.mfi_flow
        ]

    def node_states(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = np.array(self.p_fixed, dtype=float)
        h = np.array(self.h_fixed, dtype=float)
        p[self.p_free] = x[self.ip[self.p_free]]
        h[self.h_free] = x[self.ih[self.h_free]]
        return p, h

    def vapour_fraction(self, p: np.ndarray, h: np.ndarray, k: int) -> tuple[float, Saturation]:
        """Quality x of the mix arriving at separator ``k`` (clipped to 0..1) and its saturation."""
        sat = self.fluid.saturation(p[k], f"separator {self.node_ids[k]!r}")
        return min(1.0, max(0.0, (h[k] - sat.h_l) / (sat.h_v - sat.h_l))), sat

    def drawn(self, p: np.ndarray, h: np.ndarray) -> np.ndarray:
        """Enthalpy of what leaves each node: the node's own, saturated vapour at a separator."""
        if not self.separators.size:
            return h
        out = h.copy()
        for k in self.separators:
            out[k] = self.fluid.saturation(p[k], f"separator {self.node_ids[k]!r}").h_v
        return out

    # ------------------------------------------------------------------ physics
    def channel_terms(self, x: np.ndarray, T_thermal: np.ndarray) -> tuple[np.ndarray, Evaluation]:
        """Momentum residual of every channel (Pa) and what each channel does."""
        p, h = self.node_states(x)
        h = self.drawn(p, h)  # a channel takes in what its from node gives
        m = x[self.im0 : self.n_fluid]
        nc = len(self.channels)
        r = np.zeros(nc)
        Q = np.zeros(nc)
        dp = p[[c.i for c in self.channels]] - p[[c.j for c in self.channels]]
        wall_heat = np.zeros(T_thermal.size)
        flags: list[str] = []
        regimes: dict[int, str] = {}
        for k, c in enumerate(self.channels):
            if c.kind == "segment":
                r[k], Q[k] = self._segment(k, c, p, h, m[k], T_thermal, flags, regimes)
                if c.params["wall"] >= 0:
                    wall_heat[c.params["wall"]] += Q[k] - c.params["heat"]
            elif c.kind == "valve":
                s = self.fluid.state_ph(p[c.i], h[c.i], f"flow element {c.element!r} inlet")
                r[k] = dp[k] - m[k] * abs(m[k]) / (c.params["C"] ** 2 * s.rho)
            elif c.kind == "circulator":
                s = self.fluid.state_ph(p[c.i], h[c.i], f"flow element {c.element!r} inlet")
                rise = float(c.params["curve"](m[k]))
                r[k] = dp[k] + rise
                Q[k] = m[k] * rise / (s.rho * c.params["eta"])
                lo, hi = c.params["range"]
                if not lo <= m[k] <= hi:
                    flags.append(
                        f"{c.element}: mass flow {m[k]:.4g} kg/s outside its curve {lo:g}-{hi:g} kg/s (extrapolated)"
                    )
            elif c.kind == "hx_hot":
                cold = k + 1
                r[k], r[cold], heat = self._exchanger(
                    c, self.channels[cold], p, h, m[k], m[cold], flags
                )
                Q[k], Q[cold] = -heat, heat
        return r, Evaluation(Q, dp, wall_heat, flags, regimes)

    def _segment(self, k, c, p, h, m, T_thermal, flags, regimes) -> tuple[float, float]:
        e: Pipe = c.params["pipe"]
        fl = self.fluid
        where = c.params["where"]
        h_out = h[c.i] if self.kind[c.j] in ("bath", "separator") else h[c.j]
        s = fl.state_ph(0.5 * (p[c.i] + p[c.j]), 0.5 * (h[c.i] + h_out), where)
        D, L = e.diameter_m, c.params["L"]
        two_phase = 0.0 < s.x < 1.0
        area = math.pi * D * D / 4.0
        sat: Saturation | None = None
        if two_phase:
            sat = fl.saturation(s.p)
            dp_f, regime, fflags = corr.two_phase_dp(m, s.x, sat, D, L, e.roughness_m, e.two_phase)
            regimes[k] = regime
            Re = max(abs(m) / area * D / sat.mu_l, 1e-9)  # liquid-only Reynolds number
            f = corr.friction_factor(Re, e.roughness_m / D, e.friction)[0]
            rho_K = 1.0 / (s.x / sat.rho_v + (1.0 - s.x) / sat.rho_l)  # homogeneous, for fittings
        else:
            Re = max(abs(m) / area * D / s.mu, 1e-9)
            dp_f, f, fflags = corr.single_phase_dp(m, s, D, L, e.roughness_m, e.friction)
            rho_K = s.rho
        K = e.K / e.segments
        if e.bends:
            K += e.bends * corr.bend_K(D, Re, f, e.bend_radius_m) / e.segments
        if K:
            dp_f += K * m * abs(m) / (2.0 * rho_K * area * area)
        if e.rise_m:  # hydrostatic head of the segment's mean (homogeneous) density
            dp_f += rho_K * STANDARD_GRAVITY * e.rise_m / e.segments
            if two_phase:
                fflags.append(
                    "hydrostatic head from the homogeneous density (no void-fraction model; "
                    "separated flow holds less liquid)"
                )
        if e.acceleration:  # momentum flux change G²(1/ρ_out − 1/ρ_in), CoolProp's (homogeneous) ρ
            rho_in = fl.state_ph(p[c.i], h[c.i], c.params["where_in"]).rho
            rho_out = fl.state_ph(p[c.j], h_out, where).rho
            G = m / area
            dp_f += G * abs(G) * (1.0 / rho_out - 1.0 / rho_in)
        flags.extend(f"{c.element}: {msg}" for msg in fflags)
        Q = c.params["heat"]
        wall = c.params["wall"]
        if wall >= 0:
            Tw = T_thermal[wall]
            hc, hflags = corr.heat_transfer_coefficient(
                m, s, D, f, e.heat_transfer, Tw > s.T, sat, Tw, fl.molar_mass, fl.p_crit
            )
            flags.extend(f"{c.element}: {msg}" for msg in hflags)
            Q += self._wall_heat(c, hc * math.pi * D * L, s, p, h, abs(m), Tw, two_phase)
        return p[c.i] - p[c.j] - dp_f, Q

    def _wall_heat(
        self, c: Channel, UA: float, s: State, p, h, m: float, Tw: float, two_phase: bool
    ) -> float:
        """Heat (W) a wall at Tw gives a segment: ε-NTU with the fluid's effective cp.

        Q = ṁ (h(p, T_w) − h_in)(1 − e^(−NTU)), NTU = UA/(ṁ c_eff), c_eff = (h_w − h_in)/(T_w − T_in):
        exact for constant cp, and for any cp the fluid leaves no warmer than the wall
        (a short, strongly coupled segment cannot overshoot). Two-phase: UA (T_w − T_sat).
        """
        if two_phase or m <= 0.0:
            return UA * (Tw - s.T)
        fl = self.fluid
        T_in = fl.state_ph(p[c.i], h[c.i], c.params["where_in"]).T
        try:
            h_wall = fl.h_pT(s.p, Tw, c.params["where"])
        except (ValueError, OutOfRange):  # the wall exactly at saturation: no single-phase h
            h_wall = math.nan
        dT = Tw - T_in
        c_eff = (h_wall - h[c.i]) / dT if abs(dT) > 1e-9 * Tw else s.cp
        if not (math.isfinite(c_eff) and c_eff > 0.0):
            c_eff = s.cp
        return m * c_eff * dT * -math.expm1(-UA / (m * c_eff))

    def _exchanger(self, hot: Channel, cold: Channel, p, h, m_h, m_c, flags):
        e: CounterflowHX = hot.params["hx"]
        fl = self.fluid
        sh = fl.state_ph(p[hot.i], h[hot.i], f"exchanger {e.id!r} hot inlet")
        sc = fl.state_ph(p[cold.i], h[cold.i], f"exchanger {e.id!r} cold inlet")
        where = f"exchanger {e.id!r}"
        # largest heat each stream could exchange: brought to the other stream's inlet temperature
        q_hot = m_h * (sh.h - fl.h_pT(sh.p, sc.T, where))
        q_cold = m_c * (fl.h_pT(sc.p, sh.T, where) - sc.h)
        dT = sh.T - sc.T
        r_hot = p[hot.i] - p[hot.j]
        r_cold = p[cold.i] - p[cold.j]
        if e.UA_W_K is not None:
            UA: float = e.UA_W_K
        else:
            UA, dp_h, dp_c = self._exchanger_geometry(e, sh, sc, m_h, m_c, flags)
            r_hot -= dp_h
            r_cold -= dp_c
        if abs(dT) < 1e-12 or m_h <= 0 or m_c <= 0:
            return r_hot, r_cold, 0.0
        C_h, C_c = q_hot / dT, q_cold / dT
        C_min, C_max = min(C_h, C_c), max(C_h, C_c)
        eps = corr.counterflow_effectiveness(UA / C_min, C_min / C_max)
        return r_hot, r_cold, eps * (q_hot if C_h <= C_c else q_cold)

    def _exchanger_geometry(self, e: CounterflowHX, sh, sc, m_h, m_c, flags):
        Di, Do, L = e.inner_diameter_m, e.outer_diameter_m, e.length_m
        assert Di is not None and Do is not None and L is not None  # the model requires all three
        Dh = Do - Di  # hydraulic diameter of the annulus
        a_in = math.pi * Di * Di / 4.0
        a_ann = math.pi * (Do * Do - Di * Di) / 4.0
        out = []
        for m, s, D, area, side in ((m_h, sh, Di, a_in, "hot"), (m_c, sc, Dh, a_ann, "cold")):
            if not s.x >= 1.0 and not s.x <= 0.0 and not math.isnan(s.x):
                raise OutOfRange(
                    f"exchanger {e.id!r}: the geometric exchanger takes single-phase streams; the {side} inlet is two-phase"
                )
            Re = max(abs(m) / area * D / s.mu, 1e-9)
            f = corr.friction_factor(Re, e.roughness_m / D, "churchill")[0]
            dp = f * L / D * m * abs(m) / (2.0 * s.rho * area * area)
            hflags: list[str] = []
            hc = corr._single_phase_h(
                m * D * D / (4 * area) * math.pi,
                s.mu,
                s.k,
                s.cp,
                D,
                f,
                "gnielinski",
                side == "cold",
                hflags,
            )
            flags.extend(f"{e.id} ({side} side): {msg}" for msg in hflags)
            out.append((hc, dp))
        area_wall = math.pi * Di * L
        UA = 1.0 / (1.0 / (out[0][0] * area_wall) + 1.0 / (out[1][0] * area_wall))
        return UA, out[0][1], out[1][1]

    def residual(self, x: np.ndarray, T_thermal: np.ndarray):
        """Fluid residual rows (momentum, mass, energy), their scales, and the evaluation."""
        p, h = self.node_states(x)
        m = x[self.im0 : self.n_fluid]
        r_mom, ev = self.channel_terms(x, T_thermal)
        s_mom = np.abs(p[self.ci]) + np.abs(p[self.cj])
        am = np.abs(m)
        given = self.mfi_given[self.p_free]
        mass = self._in_p @ m - self._out_p @ m + given
        s_mass = self._in_p @ am + self._out_p @ am + given
        for row, node in self._sep_rows:  # vapour leaves, x of the inflow; the liquid is product
            x_mix, _ = self.vapour_fraction(p, h, node)
            mass[row] = x_mix * (self._in_p @ m)[row] - (self._out_p @ m)[row]
        h_from = self.drawn(p, h)[self.ci]
        arriving = self._in_h @ (m * h_from + ev.Q)
        inflow = self._in_h @ m
        h_j = h[self.h_free]
        energy = arriving - h_j * inflow
        s_energy = (
            self._in_h @ np.abs(m * h_from) + self._in_h @ np.abs(ev.Q) + np.abs(h_j * inflow)
        )
        for row, node in self._mfi_h_rows:  # a mass-flow inlet's enthalpy is h(p, T_in)
            T_in = self.mfi_flow[node][1]
            h_in = self.fluid.h_pT(p[node], T_in, f"flow boundary {self.node_ids[node]!r}")
            energy[row] = h[node] - h_in
            s_energy[row] = abs(h_in) + abs(h[node])
        R = np.concatenate([r_mom, mass, energy])
        S = np.concatenate([s_mom, s_mass, s_energy])
        return R, S, ev
