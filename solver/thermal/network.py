"""A design turned into a thermal network: nodes, link terms, sources, and its balance.

``Network.balance(T)`` returns, for the free nodes (stages), the net heat flow
into each node R (W), the sum of the magnitudes of the flows S (W, for the
relative convergence test |R| ≤ tol·S of DESIGN.md) and the Jacobian dR/dT as a
scipy CSR matrix. The steady and cooldown solvers share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from solver import catalog, materials
from solver.design import Design, from_dict
from solver.design.model import SOLID_LINK_TYPES
from solver.errors import DesignError, PropertyRangeError
from solver.kernels import network as kern
from solver.thermal import cryocooler_models, gas_properties

STEFAN_BOLTZMANN = 5.670374419e-8  # W m⁻² K⁻⁴, CODATA 2018 (exact value), as VALIDATION.md
TORR_IN_PA = 101325.0 / 760.0  # Pa per torr (definition: 1 atm = 760 torr = 101325 Pa)

# Modified Lockheed equation, perforated double-aluminised Mylar with glass-fibre
# paper spacer (Keller, Cunnington & Glassford, NASA CR-134477 (1974); constants as
# used by three independent codes, ../shared/reference/extra/mli_lockheed.json):
#   q = C_s N̄^2.63 (T_h − T_c)(T_h + T_c) / (2 (N_s + 1)) + C_r ε (T_h^4.67 − T_c^4.67) / N_s
#       + C_g P (T_h^m − T_c^m) / N_s          [q W/m², N̄ layers/cm, P torr]
MLI_CS = 7.3e-8
MLI_N_EXPONENT = 2.63
MLI_CR = 7.07e-10
MLI_EPSILON = 0.043
MLI_RADIATION_EXPONENT = 4.67
MLI_GAS = {"N2": (1.46e4, 0.52), "He": (4.89e4, 0.26)}  # (C_g, exponent m)

# Dilution unit (Pobell, Matter and Methods at Low Temperatures, 3rd ed., eq. 7.30):
# Q = ṅ (95 T_MC² − 11 T_in²) W; the mixture only phase-separates below the
# tricritical point of ³He-⁴He mixtures, 0.867 K (Pobell §7.2), so the formula is
# evaluated at min(T, 0.867 K).
DILUTION_MC_COEFF = 95.0  # J/(mol K²)
DILUTION_INLET_COEFF = 11.0  # J/(mol K²)
DILUTION_MAX_K = 0.867


@dataclass
class CoolerOnNetwork:
    """A cryocooler component attached to its stage nodes."""

    id: str
    model: cryocooler_models.CoolerModel
    nodes: np.ndarray  # node index per model stage (model.stage_names order)


@dataclass
class BodyOnNetwork:
    """A 3-D conduction body (``body`` link) whose patches are held at its end nodes' temperatures."""

    id: str
    link: int  # index of the body link
    body: object  # solver.thermal.grid.body.ConductionBody
    nodes: np.ndarray  # node index of each body terminal (body.terminals order)
    to_terminal: int  # position of the link's `to` node among the terminals, -1 if not linked


@dataclass
class Network:
    """Arrays describing one design's network (all SI)."""

    design: Design
    node_ids: list[str]
    link_ids: list[str]
    link_from: np.ndarray  # node index of each link's `from` end
    link_to: np.ndarray  # node index of each link's `to` end
    fixed: np.ndarray  # bool (n_nodes,)
    T_fixed: np.ndarray  # K, meaningful where fixed
    mass_kg: np.ndarray  # 0 for boundaries
    node_mat: np.ndarray  # material index of each stage, -1 for boundaries
    initial_K: np.ndarray
    heat_in_W: np.ndarray  # constant heat into each node: heat_load_W + heat_load − constant_cooler
    own_load_W: np.ndarray  # stage/boundary heat_load_W plus heat_load components (for stage_loads)
    constant_cooling_W: np.ndarray  # constant_cooler power removed from each node
    term_i: np.ndarray
    term_j: np.ndarray
    term_link: np.ndarray
    tab_mat: np.ndarray
    tab_factor: np.ndarray
    pow_coef: np.ndarray
    pow_exp: np.ndarray
    n_tab: int
    dilution: list[tuple[str, int, float, float | None]]  # (id, node, flow_mol_s, inlet_K)
    coolers: list[CoolerOnNetwork]
    bodies: list[BodyOnNetwork]
    material_ids: list[str]
    F_tab: np.ndarray
    f_tab: np.ndarray
    H_tab: np.ndarray
    cp_tab: np.ndarray
    extend_above_maps: bool = (
        False  # steady solver: continue cooler maps above their edge (then reports it)
    )
    free_index: np.ndarray = field(init=False)
    free_nodes: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.free_nodes = np.flatnonzero(~self.fixed)
        self.free_index = np.full(len(self.node_ids), -1, dtype=np.int64)
        self.free_index[self.free_nodes] = np.arange(self.free_nodes.size)
        self._build_pattern()
        n_terms = self.term_i.size
        self._q = np.zeros(n_terms)
        self._dqi = np.zeros(n_terms)
        self._dqj = np.zeros(n_terms)

    # ------------------------------------------------------------------ pattern
    def _build_pattern(self) -> None:
        """CSR sparsity of the free-node Jacobian and each term's data positions."""
        n = self.free_nodes.size
        fi = self.free_index[self.term_i]
        fj = self.free_index[self.term_j]
        rows = np.stack([fi, fi, fj, fj], axis=1)
        cols = np.stack([fi, fj, fj, fi], axis=1)
        valid = (rows >= 0) & (cols >= 0)
        extra = [(k, k) for k in range(n)]  # diagonal always present (heat capacity, sources)
        for element in [*self.coolers, *self.bodies]:
            idx = self.free_index[element.nodes]
            extra += [(a, b) for a in idx for b in idx if a >= 0 and b >= 0]
        extra_arr = np.array(extra, dtype=np.int64).reshape(-1, 2)
        keys = np.concatenate([(rows * n + cols)[valid], extra_arr[:, 0] * n + extra_arr[:, 1]])
        unique, inverse = np.unique(keys, return_inverse=True)
        self._indices = (unique % max(n, 1)).astype(np.int32)
        self._indptr = np.searchsorted(unique // max(n, 1), np.arange(n + 1)).astype(np.int32)
        pos = np.full(rows.shape, -1, dtype=np.int64)
        pos[valid] = inverse[: int(valid.sum())]
        self._pos = pos
        self._diag_pos = np.array([self._position(k, k) for k in range(n)], dtype=np.int64)

    def _position(self, row: int, col: int) -> int:
        start, stop = self._indptr[row], self._indptr[row + 1]
        return int(start + np.searchsorted(self._indices[start:stop], col))

    # ------------------------------------------------------------------ physics
    def term_flows(self, T: np.ndarray) -> None:
        grid = materials.GRID
        n_tab = self.n_tab
        kern.term_flows(
            T,
            grid.log_t0,
            grid.inv_dlog,
            grid.T,
            self.F_tab,
            self.f_tab,
            self.term_i[:n_tab],
            self.term_j[:n_tab],
            self.tab_mat,
            self.tab_factor,
            self.term_i[n_tab:],
            self.term_j[n_tab:],
            self.pow_coef,
            self.pow_exp,
            self._q,
            self._dqi,
            self._dqj,
        )

    def link_flows(self, T: np.ndarray) -> np.ndarray:
        """Heat flow of every link in W (> 0 from ``from`` to ``to``).

        For a ``body`` link: the heat the body delivers into its ``to`` node.
        """
        self.term_flows(T)
        flows = np.bincount(self.term_link, weights=self._q, minlength=len(self.link_ids)).astype(
            float
        )
        for b in self.bodies:
            Q, _ = b.body.terminal_response(T[b.nodes])
            flows[b.link] = Q[b.to_terminal] if b.to_terminal >= 0 else 0.0
        return flows

    def body_inflows(self, T: np.ndarray) -> np.ndarray:
        """Heat (W) each node receives from the 3-D bodies it is linked to."""
        into = np.zeros(len(self.node_ids))
        for b in self.bodies:
            np.add.at(into, b.nodes, b.body.terminal_response(T[b.nodes])[0])
        return into

    def source_flows(
        self, T: np.ndarray
    ) -> tuple[np.ndarray, list[tuple[int, int, float]], list[str]]:
        """Temperature-dependent source heat into each node, their Jacobian entries, and flags."""
        Q = np.zeros(len(self.node_ids))
        entries: list[tuple[int, int, float]] = []
        flags: list[str] = []
        for comp_id, node, flow, inlet in self.dilution:
            t = min(T[node], DILUTION_MAX_K)
            if inlet is None:  # ideal heat exchanger, T_in = T_MC: Q = (95 − 11) ṅ T²
                cooling = flow * (DILUTION_MC_COEFF - DILUTION_INLET_COEFF) * t * t
                slope = 2.0 * flow * (DILUTION_MC_COEFF - DILUTION_INLET_COEFF) * t
            else:
                cooling = flow * (DILUTION_MC_COEFF * t * t - DILUTION_INLET_COEFF * inlet * inlet)
                slope = 2.0 * flow * DILUTION_MC_COEFF * t
            Q[node] -= cooling
            entries.append((node, node, -slope if T[node] < DILUTION_MAX_K else 0.0))
            if T[node] > DILUTION_MAX_K:
                flags.append(
                    f"{comp_id}: mixing chamber above {DILUTION_MAX_K} K, dilution cooling held at its value there"
                )
        for cooler in self.coolers:
            cap, dcap, outside = cooler.model.capacity(T[cooler.nodes], self.extend_above_maps)
            Q[cooler.nodes] -= cap
            for a, na in enumerate(cooler.nodes):
                for b, nb in enumerate(cooler.nodes):
                    entries.append((na, nb, -dcap[a, b]))
            if outside:
                flags.append(
                    f"{cooler.id}: stage temperatures {np.round(T[cooler.nodes], 3).tolist()} K outside the published map of {cooler.model.name} (capacity held at the map edge)"
                )
        for b in self.bodies:
            Qb, Jb = b.body.terminal_response(T[b.nodes])
            np.add.at(Q, b.nodes, Qb)
            entries += [
                (na, nb, Jb[a, c]) for a, na in enumerate(b.nodes) for c, nb in enumerate(b.nodes)
            ]
        return Q, entries, flags

    def balance(self, T: np.ndarray):
        """Net heat into each free node R (W), Σ|Q| per free node S (W), Jacobian dR/dT (CSR), flags."""
        n = self.free_nodes.size
        R = self.heat_in_W[self.free_nodes].copy()
        S = np.abs(self.heat_in_W[self.free_nodes]) + self.constant_cooling_W[self.free_nodes] * 2
        data = np.zeros(self._indices.size)
        self.term_flows(T)
        kern.assemble(
            self.term_i,
            self.term_j,
            self.free_index,
            self._pos,
            self._q,
            self._dqi,
            self._dqj,
            R,
            S,
            data,
        )
        Qs, entries, flags = self.source_flows(T)
        R += Qs[self.free_nodes]
        S += np.abs(Qs[self.free_nodes])
        for row, col, value in entries:
            fr, fc = self.free_index[row], self.free_index[col]
            if fr >= 0 and fc >= 0:
                data[self._position(fr, fc)] += value
        J = sp.csr_matrix((data, self._indices, self._indptr), shape=(n, n))
        return R, S, J, flags

    def enthalpy_change(self, T_old: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """H(T) − H(T_old) per kg (J/kg, without cancellation) and cp(T) (J/(kg K)) of every node."""
        dH = np.zeros(T.size)
        cp = np.zeros(T.size)
        grid = materials.GRID
        kern.node_enthalpy_change(
            T_old,
            T,
            grid.log_t0,
            grid.inv_dlog,
            grid.T,
            self.H_tab,
            self.cp_tab,
            self.node_mat,
            dH,
            cp,
        )
        return dH, cp

    @property
    def diagonal_positions(self) -> np.ndarray:
        return self._diag_pos

    def check_temperatures(self, T: np.ndarray) -> None:
        """Raise PropertyRangeError when a solved temperature is outside a material's supported range.

        Conduction links need k at both ends; stages need cp at their own temperature.
        """
        for t in range(self.n_tab):
            self._check_range(int(self.tab_mat[t]), "k", T, (self.term_i[t], self.term_j[t]))
        for n, m in enumerate(self.node_mat):
            if m >= 0:
                self._check_range(int(m), "cp", T, (n,))

    def _check_range(self, mat_index: int, prop: str, T: np.ndarray, nodes) -> None:
        mat = materials.get(self.material_ids[mat_index])
        lo, hi = mat.property_range_K(prop)
        for n in nodes:
            if not lo <= T[n] <= hi:
                raise PropertyRangeError(
                    f"{mat.id} (at node {self.node_ids[n]!r})", prop, T[n], (lo, hi)
                )


def build_network(design: Design | dict) -> Network:
    """Turn a design (object or dict) into a :class:`Network`."""
    if not isinstance(design, Design):
        design = from_dict(design)
    nodes = design.nodes
    node_ids = [c.id for c in nodes]
    index = {nid: k for k, nid in enumerate(node_ids)}
    n = len(nodes)
    fixed = np.array([c.type == "boundary" for c in nodes])
    T_fixed = np.array([c.temperature_K if c.type == "boundary" else np.nan for c in nodes])
    warmest = float(np.nanmax(T_fixed)) if fixed.any() else 300.0
    material_ids: list[str] = []

    def mat_index(name: str) -> int:
        mid = materials.get(name).id
        if mid not in material_ids:
            material_ids.append(mid)
        return material_ids.index(mid)

    mass = np.array([c.mass_kg if c.type == "stage" else 0.0 for c in nodes])
    node_mat = np.array(
        [mat_index(c.material) if c.type == "stage" else -1 for c in nodes], dtype=np.int64
    )
    initial = np.array(
        [
            (c.initial_K if c.initial_K is not None else warmest)
            if c.type == "stage"
            else c.temperature_K
            for c in nodes
        ]
    )
    own_load = np.array([c.heat_load_W for c in nodes], dtype=float)
    constant_cooling = np.zeros(n)
    dilution = []
    coolers = []
    for c in design.components:
        if c.type == "heat_load":
            own_load[index[c.stage]] += c.power_W
        elif c.type == "constant_cooler":
            constant_cooling[index[c.stage]] += c.power_W
        elif c.type == "dilution_unit":
            dilution.append((c.id, index[c.stage], c.flow_mol_s, c.inlet_K))
        elif c.type == "cryocooler":
            model = cryocooler_models.get(c.model)
            coolers.append(
                CoolerOnNetwork(
                    c.id, model, np.array([index[c.stages[s]] for s in model.stage_names])
                )
            )

    bodies = []
    tab: list[tuple[int, int, int, int, float]] = []  # (i, j, link, material, factor)
    power: list[tuple[int, int, int, float, float]] = []  # (i, j, link, coef, exponent)
    link_ids = [lk.id for lk in design.links]
    for k, lk in enumerate(design.links):
        i, j = index[lk.from_], index[lk.to]
        if lk.type in SOLID_LINK_TYPES:
            tab.append((i, j, k, mat_index(lk.material), lk.count * lk.area_m2 / lk.length_m))
        elif lk.type == "wiring":
            for layer in _wiring_layers(lk):
                tab.append(
                    (
                        i,
                        j,
                        k,
                        mat_index(layer["material"]),
                        lk.count * layer["area_m2"] / lk.length_m,
                    )
                )
        elif lk.type == "radiation":
            eps = lk.emissivity_eff
            if eps is None:
                eps = 1.0 / (1.0 / lk.emissivity_from + 1.0 / lk.emissivity_to - 1.0)
            power.append((i, j, k, lk.count * STEFAN_BOLTZMANN * lk.area_m2 * eps, 4.0))
        elif lk.type == "mli":
            power.extend((i, j, k, coef, p) for coef, p in mli_terms(lk))
        elif lk.type == "gas":
            g = gas_properties.free_molecular_conductance(
                lk.species, lk.area_m2, lk.pressure_Pa, lk.gauge_K, lk.accommodation
            )
            power.append((i, j, k, lk.count * g, 1.0))
        elif lk.type == "contact":
            if lk.conductance_W_K is not None:
                power.append((i, j, k, lk.count * lk.conductance_W_K, 1.0))
            else:
                p = lk.exponent + 1.0
                power.append((i, j, k, lk.count * lk.g0_W_K / (p * lk.T0_K**lk.exponent), p))
        elif lk.type == "body":
            bodies.append(_body_on_network(lk, k, index))

    tab_arr = np.array(tab, dtype=float).reshape(-1, 5)
    pow_arr = np.array(power, dtype=float).reshape(-1, 5)
    term_i = np.concatenate([tab_arr[:, 0], pow_arr[:, 0]]).astype(np.int64)
    term_j = np.concatenate([tab_arr[:, 1], pow_arr[:, 1]]).astype(np.int64)
    term_link = np.concatenate([tab_arr[:, 2], pow_arr[:, 2]]).astype(np.int64)

    mats = [materials.get(m) for m in material_ids]

    def stack(tables: list) -> np.ndarray:
        if not tables:
            return np.zeros((1, materials.GRID.T.size))
        return np.ascontiguousarray(np.stack(tables))

    return Network(
        design=design,
        node_ids=node_ids,
        link_ids=link_ids,
        link_from=np.array([index[lk.from_] for lk in design.links], dtype=np.int64),
        link_to=np.array([index[lk.to] for lk in design.links], dtype=np.int64),
        fixed=fixed,
        T_fixed=T_fixed,
        mass_kg=mass,
        node_mat=node_mat,
        initial_K=initial,
        heat_in_W=own_load - constant_cooling,
        own_load_W=own_load,
        constant_cooling_W=constant_cooling,
        term_i=term_i,
        term_j=term_j,
        term_link=term_link,
        tab_mat=tab_arr[:, 3].astype(np.int64),
        tab_factor=np.ascontiguousarray(tab_arr[:, 4]),
        pow_coef=np.ascontiguousarray(pow_arr[:, 3]),
        pow_exp=np.ascontiguousarray(pow_arr[:, 4]),
        n_tab=len(tab),
        dilution=dilution,
        coolers=coolers,
        bodies=bodies,
        material_ids=material_ids,
        F_tab=stack([m.k_table.F for m in mats]),
        f_tab=stack([m.k_table.f for m in mats]),
        H_tab=stack([m.cp_table.F for m in mats]),
        cp_tab=stack([m.cp_table.f for m in mats]),
    )


def _body_on_network(lk, k: int, index: dict[str, int]) -> BodyOnNetwork:
    """Build a body link's conduction body; its linked patches must name the link's own ends."""
    from solver.thermal.grid.design import body_from_dict

    body = body_from_dict(lk.body, where=f"{lk.id!r}, field 'body'")
    stray = [t for t in body.terminals if t not in (lk.from_, lk.to)]
    if stray:
        raise DesignError(
            f"{lk.id!r}, field 'body': patches link to {', '.join(map(repr, stray))}; a body link's "
            f"patches may only link to its own ends {lk.from_!r} and {lk.to!r}"
        )
    terminals = list(body.terminals)
    return BodyOnNetwork(
        lk.id,
        k,
        body,
        np.array([index[t] for t in terminals], dtype=np.int64),
        terminals.index(lk.to) if lk.to in terminals else -1,
    )


def mli_terms(lk) -> list[tuple[float, float]]:
    """Power-law terms (coefficient W/K^p, exponent p) of an MLI link, for the whole area and count."""
    scale = lk.count * lk.area_m2 * lk.degradation
    n_s = lk.layers
    c_g, m = MLI_GAS[lk.gas]
    pressure_torr = lk.pressure_Pa / TORR_IN_PA
    terms = [
        (scale * MLI_CS * lk.layer_density_per_cm**MLI_N_EXPONENT / (2.0 * (n_s + 1)), 2.0),
        (scale * MLI_CR * MLI_EPSILON / n_s, MLI_RADIATION_EXPONENT),
    ]
    if pressure_torr > 0:
        terms.append((scale * c_g * pressure_torr / n_s, m))
    return terms


def _wiring_layers(lk) -> list[dict]:
    """Material and area of each conductor/dielectric of one line: given, or from the catalog part."""
    if lk.layers is not None:
        return [{"material": layer.material, "area_m2": layer.area_m2} for layer in lk.layers]
    try:
        return catalog.wiring_layers(lk.part)
    except DesignError as exc:
        raise DesignError(f"{lk.id!r}, field 'part': {exc}") from exc
