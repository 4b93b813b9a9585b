"""A design turned into a thermal network: nodes, link terms, sources, and its balance.

Each component and link lowers itself to network terms through its spec in
``solver.elements``; this module only assembles them. ``Network.balance(T)``
returns, for the free nodes (stages), the net heat flow into each node R (W), the
sum of the magnitudes of the flows S (W, for the relative convergence test
|R| ≤ tol·S of DESIGN.md) and the Jacobian dR/dT as a scipy CSR matrix. The
steady and cooldown solvers share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from solver import elements, materials
from solver.design import Design, from_dict
from solver.errors import PropertyRangeError
from solver.kernels import network as kern
from solver.thermal import wiring_lines


@dataclass
class SourceOnNetwork:
    """A temperature-dependent source (cryocooler, dilution unit) on its node indices."""

    source: elements.NodeSource
    nodes: np.ndarray  # node index of each of source.nodes

    @property
    def id(self) -> str:
        return self.source.id


@dataclass
class TerminalOnNetwork:
    """A link with an internal solution (a 3-D body) on the indices of its terminal nodes."""

    id: str
    link: int  # index of the link
    term: elements.Terminal
    nodes: np.ndarray  # node index of each terminal (element.terminals order)
    to_terminal: int  # position of the link's `to` node among the terminals, -1 if not linked

    def response(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heat into each terminal node (W) and its Jacobian (W/K) at node temperatures T."""
        return self.term.element.terminal_response(T[self.nodes])


@dataclass
class Network:
    """Arrays describing one design's network (all SI).

    The solvers read these fields; only :func:`build_network` writes them.
    """

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
    sources: list[SourceOnNetwork]
    terminals: list[TerminalOnNetwork]
    material_ids: list[str]
    F_tab: np.ndarray
    f_tab: np.ndarray
    H_tab: np.ndarray
    cp_tab: np.ndarray
    item_flags: list[str] = field(default_factory=list)  # per-link notes known before solving
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
        element_nodes = [e.nodes for e in self.sources] + [e.nodes for e in self.terminals]
        for nodes in element_nodes:
            idx = self.free_index[nodes]
            extra += [(a, b) for a in idx for b in idx if a >= 0 and b >= 0]
        extra_arr = np.array(extra, dtype=np.int64).reshape(-1, 2)
        keys = np.concatenate([(rows * n + cols)[valid], extra_arr[:, 0] * n + extra_arr[:, 1]])
        unique, inverse = np.unique(keys, return_inverse=True)
        self._indices = (unique % max(n, 1)).astype(np.int32)
        self._indptr = np.searchsorted(unique // max(n, 1), np.arange(n + 1)).astype(np.int32)
        pos = np.full(rows.shape, -1, dtype=np.int64)
        pos[valid] = inverse[: int(valid.sum())]
        self._pos = pos
        diagonal = np.arange(n, dtype=np.int64) * (n + 1)  # keys k·n + k, all present
        self._diag_pos = np.searchsorted(unique, diagonal).astype(np.int64)

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
        for t in self.terminals:
            Q, _ = t.response(T)
            flows[t.link] = Q[t.to_terminal] if t.to_terminal >= 0 else 0.0
        return flows

    def link_end_flows(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heat leaving each link's ``from`` node and arriving at its ``to`` node, W (DESIGN.md).

        Equal for links without internal heat; a current lead's Joule heat makes them differ.
        """
        to = self.link_flows(T)
        out = to.copy()
        for t in self.terminals:
            ends = list(t.term.element.terminals)
            from_id = self.design.links[t.link].from_
            out[t.link] = (-t.response(T)[0][ends.index(from_id)] if from_id in ends else 0.0) + 0.0
        return out, to

    def element_notes(self, T: np.ndarray) -> list[str]:
        """Notes of the links: known before solving (``item_flags``), and those the links with an
        internal solution report at ``T`` (a lead's optimum, its ranges)."""
        notes: list[str] = list(self.item_flags)
        for t in self.terminals:
            report = getattr(t.term.element, "notes", None)
            if report is not None:
                notes += report(T[t.nodes])
        return notes

    def body_inflows(self, T: np.ndarray) -> np.ndarray:
        """Heat (W) each node receives from the links with an internal solution (3-D bodies)."""
        into = np.zeros(len(self.node_ids))
        for t in self.terminals:
            np.add.at(into, t.nodes, t.response(T)[0])
        return into

    def source_flows(
        self, T: np.ndarray, extend_above_maps: bool = False
    ) -> tuple[np.ndarray, list[tuple[int, int, float]], list[str]]:
        """Temperature-dependent heat into each node (sources and bodies), its Jacobian entries, flags.

        ``extend_above_maps`` continues cooler maps above their warm edge (the steady solver
        uses it to locate, and then report, an operating point beyond a map).
        """
        Q = np.zeros(len(self.node_ids))
        entries: list[tuple[int, int, float]] = []
        flags: list[str] = []
        responses = [(s.nodes, *s.source.heat(T[s.nodes], extend_above_maps)) for s in self.sources]
        responses += [(t.nodes, *t.response(T), []) for t in self.terminals]
        for nodes, Qs, Js, more_flags in responses:
            np.add.at(Q, nodes, Qs)
            entries += [
                (na, nb, Js[a, b]) for a, na in enumerate(nodes) for b, nb in enumerate(nodes)
            ]
            flags += more_flags
        return Q, entries, flags

    def balance(self, T: np.ndarray, extend_above_maps: bool = False):
        """Net heat into each free node R (W), Σ|Q| per free node S (W), Jacobian dR/dT (CSR), flags.

        ``extend_above_maps``: see :meth:`source_flows`.
        """
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
        Qs, entries, flags = self.source_flows(T, extend_above_maps)
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
        The first offender is named: links in order (``from`` end first), then stages.
        """
        ends = np.stack([self.term_i[: self.n_tab], self.term_j[: self.n_tab]], axis=1)
        links = self._outside("k", T, ends, self.tab_mat)
        stages = np.flatnonzero(self.node_mat >= 0)
        nodes = self._outside("cp", T, stages[:, None], self.node_mat[stages])
        for (t, end), prop, where, mat_of in (
            (links, "k", ends, self.tab_mat),
            (nodes, "cp", stages[:, None], self.node_mat[stages]),
        ):
            if t >= 0:
                mat = materials.get(self.material_ids[mat_of[t]])
                n = int(where[t, end])
                raise PropertyRangeError(
                    f"{mat.id} (at node {self.node_ids[n]!r})",
                    prop,
                    T[n],
                    mat.property_range_K(prop),
                )

    def _outside(self, prop: str, T: np.ndarray, nodes: np.ndarray, mat_index: np.ndarray):
        """(row, column) of the first entry of ``nodes`` (shape (m, c)) whose temperature is
        outside ``prop``'s range for the material of its row; (-1, -1) when none is."""
        ranges = np.zeros((len(self.material_ids), 2))
        for m in np.unique(mat_index):
            ranges[m] = materials.get(self.material_ids[m]).property_range_K(prop)
        at = T[nodes]
        lo, hi = ranges[mat_index, 0][:, None], ranges[mat_index, 1][:, None]
        bad = ~((lo <= at) & (at <= hi))
        if not bad.any():
            return -1, -1
        first = int(np.argmax(bad.ravel()))
        return divmod(first, nodes.shape[1])


def build_network(design: Design | dict) -> Network:
    """Turn a design (object or dict) into a :class:`Network`, each item lowered by its spec."""
    if not isinstance(design, Design):
        design = from_dict(design)
    nodes = design.nodes
    node_ids = [c.id for c in nodes]
    index = {nid: k for k, nid in enumerate(node_ids)}
    n = len(nodes)
    fixed = np.array([elements.NODES[c.type].fixed for c in nodes], dtype=bool)
    T_fixed = np.array([c.temperature_K if fixed[k] else np.nan for k, c in enumerate(nodes)])
    warmest = float(np.nanmax(T_fixed)) if fixed.any() else 300.0
    material_ids: list[str] = []

    def mat_index(name: str) -> int:
        mid = materials.get(name).id
        if mid not in material_ids:
            material_ids.append(mid)
        return material_ids.index(mid)

    mass = np.array([0.0 if fixed[k] else c.mass_kg for k, c in enumerate(nodes)])
    node_mat = np.array(
        [-1 if fixed[k] else mat_index(c.material) for k, c in enumerate(nodes)], dtype=np.int64
    )
    initial = np.array(
        [
            c.temperature_K if fixed[k] else (c.initial_K if c.initial_K is not None else warmest)
            for k, c in enumerate(nodes)
        ]
    )
    own_load = np.array([c.heat_load_W for c in nodes], dtype=float)
    constant_cooling = np.zeros(n)
    sources: list[SourceOnNetwork] = []
    for c in design.components:
        if c.type in elements.NODES:
            continue
        for source in elements.SOURCES[c.type].lower(c):
            if isinstance(source, elements.FixedHeat):
                own_load[index[source.node]] += source.power_W
            elif isinstance(source, elements.FixedCooling):
                constant_cooling[index[source.node]] += source.power_W
            else:
                at = np.array([index[x] for x in source.nodes], dtype=np.int64)
                sources.append(SourceOnNetwork(source, at))

    for node_id, watts in wiring_lines.fixed_heat(design):  # attenuators, DC, stated dissipation
        own_load[index[node_id]] += watts

    terminals: list[TerminalOnNetwork] = []
    tab: list[tuple[int, int, int, int, float]] = []  # (i, j, link, material, factor)
    power: list[tuple[int, int, int, float, float]] = []  # (i, j, link, coef, exponent)
    link_ids = [lk.id for lk in design.links]
    item_flags: list[str] = []
    for k, lk in enumerate(design.links):
        i, j = index[lk.from_], index[lk.to]
        item_flags += elements.LINKS[lk.type].flags(lk)
        terms = elements.LINKS[lk.type].lower(lk)
        if isinstance(terms, elements.Terminal):
            bind = getattr(terms.element, "bind", None)
            if bind is not None:  # an element that needs the design (a vapour-cooled link's bath)
                bind(design)
            ends = list(terms.element.terminals)
            terminals.append(
                TerminalOnNetwork(
                    lk.id,
                    k,
                    terms,
                    np.array([index[t] for t in ends], dtype=np.int64),
                    ends.index(lk.to) if lk.to in ends else -1,
                )
            )
            continue
        for term in terms:
            if isinstance(term, elements.Conduction):
                tab.append((i, j, k, mat_index(term.material), term.factor_m))
            else:
                power.append((i, j, k, term.coef, term.exponent))

    tab_arr = np.array(tab, dtype=float).reshape(-1, 5)
    pow_arr = np.array(power, dtype=float).reshape(-1, 5)
    term_i = np.concatenate([tab_arr[:, 0], pow_arr[:, 0]]).astype(np.int64)
    term_j = np.concatenate([tab_arr[:, 1], pow_arr[:, 1]]).astype(np.int64)
    term_link = np.concatenate([tab_arr[:, 2], pow_arr[:, 2]]).astype(np.int64)

    mats = [materials.get(m) for m in material_ids]
    # steady state needs only k; cp (heat capacity) is needed only for the stages' own
    # materials, so a wiring alloy with no cp fit (manganin, CuNi) conducts freely
    has_mass = set(node_mat[node_mat >= 0].tolist())
    empty = np.zeros(materials.GRID.T.size)

    def stack(tables: list) -> np.ndarray:
        if not tables:
            return np.zeros((1, materials.GRID.T.size))
        return np.ascontiguousarray(np.stack(tables))

    def cp_tables(part: str) -> np.ndarray:
        return stack(
            [getattr(m.cp_table, part) if k in has_mass else empty for k, m in enumerate(mats)]
        )

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
        sources=sources,
        terminals=terminals,
        material_ids=material_ids,
        F_tab=stack([m.k_table.F for m in mats]),
        f_tab=stack([m.k_table.f for m in mats]),
        H_tab=cp_tables("F"),
        cp_tab=cp_tables("f"),
        item_flags=item_flags,
    )
