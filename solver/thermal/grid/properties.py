"""Material property tables for the grid kernels.

The grid kernels use their own interpolant (k linear in T between the nodes of
``solver.materials.GRID``, Θ its exact integral) rather than the materials
module's cubic Hermite tables, because the Newton update is taken in Kirchhoff
variables and needs Θ⁻¹ per cell, which is a closed-form quadratic root here.
The node values of k and cp are the materials module's own.

Each material is sampled once on a common log-uniform temperature grid: k(T) and
cp(T) at the nodes (from the material's own tables when it has them, else from
its vectorised ``k`` / ``cp`` methods), linear in T between nodes, with running
integrals built from that same piecewise-linear law (see
``solver.kernels.grid.tables``). Materials are duck-typed: anything with
vectorised ``k(T)`` in W/(m K), and for transients ``cp(T)`` in J/(kg K) and
``density_kg_m3``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError

DEFAULT_RANGE_K = (1e-3, 2000.0)
"""Span of the table when a material brings none: 1 mK (the project's floor) to 2000 K."""

NODES_PER_DECADE = 400
"""Node density: linear interpolation between nodes 0.58 % apart errs by ≲ 1e-5 relative
for the smooth cryogenic fits (second-order term (Δ/T)²/8 times the log-curvature)."""


@dataclass(frozen=True)
class PropertyTables:
    """Stacked tables of every material of a body (rows in material order).

    Attributes
    ----------
    T_nodes : ndarray, shape (n_nodes,) — K, log-uniform.
    K, THETA : ndarray, shape (n_materials, n_nodes) — k in W/(m K) and Θ = ∫k dT in W/m.
    CP, HSPEC : ndarray, shape (n_materials, n_nodes) — cp in J/(kg K) and ∫cp dT in J/kg;
        NaN rows for materials without cp (steady use only).
    density : ndarray, shape (n_materials,) — kg/m³ (NaN when unknown).
    """

    T_nodes: np.ndarray
    K: np.ndarray
    THETA: np.ndarray
    CP: np.ndarray
    HSPEC: np.ndarray
    density: np.ndarray

    @property
    def log_t0(self) -> float:
        return float(np.log(self.T_nodes[0]))

    @property
    def inv_dlog(self) -> float:
        return float((self.T_nodes.size - 1) / np.log(self.T_nodes[-1] / self.T_nodes[0]))

    @property
    def range_K(self) -> tuple[float, float]:
        return float(self.T_nodes[0]), float(self.T_nodes[-1])

    def kernel_args(self) -> tuple:
        """(log_t0, inv_dlog, T_nodes, THETA, K) as the conduction kernel takes them."""
        return self.log_t0, self.inv_dlog, self.T_nodes, self.THETA, self.K


def _running_integral(T_nodes: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Exact integral of the piecewise-linear f from the first node (trapezoids)."""
    out = np.zeros_like(f)
    out[1:] = np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(T_nodes))
    return out


def _node_grid(materials: list) -> np.ndarray:
    """The common grid: the materials module's own grid when every material has tables."""
    if materials and all(hasattr(m, "k_table") for m in materials):
        from solver import materials as mat_module

        return np.asarray(mat_module.GRID.T, dtype=float)
    lo, hi = DEFAULT_RANGE_K
    n = int(np.ceil(np.log10(hi / lo) * NODES_PER_DECADE)) + 1
    return np.geomspace(lo, hi, n)


def _sample(material, name: str, prop: str, T_nodes: np.ndarray) -> np.ndarray:
    table = getattr(material, f"{prop}_table", None)
    values = np.asarray(table.f if table is not None else getattr(material, prop)(T_nodes), float)
    if values.shape != T_nodes.shape or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise DesignError(
            f"material {name!r}: {prop}(T) must be finite and > 0 from {T_nodes[0]:g} to "
            f"{T_nodes[-1]:g} K for the grid solver's table"
        )
    return values


def build_tables(materials: list, names: list[str], need_heat_capacity: bool) -> PropertyTables:
    """Sample k (and cp, density) of each material on the common grid.

    Parameters
    ----------
    materials : list of material objects (duck-typed, see module docstring).
    names : list of str — their ids, for error messages.
    need_heat_capacity : bool — raise if a material lacks cp or density.
    """
    T_nodes = _node_grid(materials)
    nm, nn = len(materials), T_nodes.size
    K = np.empty((nm, nn))
    CP = np.full((nm, nn), np.nan)
    density = np.full(nm, np.nan)
    for i, (m, name) in enumerate(zip(materials, names, strict=True)):
        K[i] = _sample(m, name, "k", T_nodes)
        has_cp = m.has("cp") if hasattr(m, "has") else hasattr(m, "cp")
        has_cp = has_cp and hasattr(m, "density_kg_m3")
        if has_cp:
            CP[i] = _sample(m, name, "cp", T_nodes)
            density[i] = float(m.density_kg_m3)
        elif need_heat_capacity:
            raise DesignError(
                f"material {name!r} has no cp(T) or density_kg_m3: a transient needs both"
            )
    THETA = np.stack([_running_integral(T_nodes, row) for row in K]) if nm else K.copy()
    HSPEC = np.stack([_running_integral(T_nodes, row) for row in CP]) if nm else CP.copy()
    return PropertyTables(T_nodes, K, THETA, CP, HSPEC, density)
