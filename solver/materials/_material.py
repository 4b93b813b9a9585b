"""``Material``: k(T), cp(T), their integrals and tables for one material id."""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError
from solver.kernels.property_table import table_increments
from solver.materials._grid import GRID, PropertyTable
from solver.materials._property import PropertyModel

PROPERTIES = ("k", "cp")


class MissingPropertyError(DesignError):
    """The material has no data for the requested property (no fit and no citable model)."""


class Material:
    """One material of the library, built from its ``materials_data/materials/<id>.json`` file.

    Attributes
    ----------
    id, name : str
        Stable id (DESIGN.md) and descriptive name.
    density_kg_m3 : float
        Room-temperature density, kg/m^3.
    sources : dict of str
        Citation per item: ``"k"``, ``"cp"``, ``"density"`` and, where a
        low-temperature law extends a fit, ``"k_below_fit"`` / ``"cp_below_fit"``.
    k_fit_range_K, cp_fit_range_K : tuple of float or None
        (lo, hi) of the published fit (None when the property is missing).
    supported_range_K : tuple of float
        (lo, hi) where every available property can be evaluated: the
        intersection of the per-property ranges (``property_range_K``).
    """

    def __init__(self, doc: dict):
        self.id: str = doc["id"]
        self.name: str = doc["name"]
        self.family: str = doc.get("family", "")
        self.doc = doc
        self.density_kg_m3 = float(doc["density"]["value_kg_m3"])
        self._props = {p: PropertyModel(self.id, p, spec) for p, spec in doc["properties"].items()}
        self.sources: dict[str, str] = {"density": doc["density"]["source"]}
        for p, model in self._props.items():
            self.sources[p] = model.source_text()
            below = model.below_source_text()
            if below:
                self.sources[f"{p}_below_fit"] = below
        ranges = [m.supported_range_K for m in self._props.values()]
        self.supported_range_K = (max(r[0] for r in ranges), min(r[1] for r in ranges))

    def __repr__(self) -> str:
        return f"Material({self.id!r})"

    # -- which properties exist --------------------------------------------------
    def has(self, prop: str) -> bool:
        """True when the material has data for ``prop`` (``"k"`` or ``"cp"``)."""
        return prop in self._props

    def _model(self, prop: str) -> PropertyModel:
        if prop not in PROPERTIES:
            raise DesignError(f"unknown property {prop!r}; use one of {', '.join(PROPERTIES)}")
        if prop not in self._props:
            have = ", ".join(self._props)
            raise MissingPropertyError(
                f"{self.id}: no {prop} data (no published fit or citable model in the library; "
                f"available: {have}). Pick another material or supply the property yourself."
            )
        return self._props[prop]

    @property
    def k_fit_range_K(self) -> tuple[float, float] | None:
        return self._props["k"].fit_range_K if "k" in self._props else None

    @property
    def cp_fit_range_K(self) -> tuple[float, float] | None:
        return self._props["cp"].fit_range_K if "cp" in self._props else None

    def property_range_K(self, prop: str) -> tuple[float, float]:
        """(lo, hi) in kelvin where ``prop`` can be evaluated (fit, low-T law and 5 % top margin)."""
        return self._model(prop).supported_range_K

    # -- values ------------------------------------------------------------------
    def _values(self, prop: str, T):
        model = self._model(prop)
        T = np.asarray(T, float)
        model.check(T)
        out = model.evaluate(T)
        return out if out.ndim else float(out)

    def k(self, T):
        """Thermal conductivity.

        Parameters
        ----------
        T : float or ndarray
            Temperature in kelvin.

        Returns
        -------
        float or ndarray, same shape as T
            k in W/(m K).

        Raises
        ------
        PropertyRangeError
            If any T is outside ``property_range_K("k")``.
        """
        return self._values("k", T)

    def cp(self, T):
        """Specific heat in J/(kg K), same shape as ``T`` (kelvin); see ``k`` for errors."""
        return self._values("cp", T)

    def extrapolated(self, T, prop: str = "k"):
        """Boolean mask, True where ``T`` (kelvin) lies outside the fit's own range for ``prop``."""
        out = self._model(prop).extrapolated(T)
        return out if out.ndim else bool(out)

    # -- integrals through the tables -------------------------------------------
    def _integral(self, prop: str, T1, T2):
        model = self._model(prop)
        T1, T2 = np.broadcast_arrays(np.asarray(T1, float), np.asarray(T2, float))
        model.check(T1)
        model.check(T2)
        table = model.table
        flat = table_increments(
            GRID.log_t0,
            GRID.inv_dlog,
            GRID.T,
            table.F,
            table.f,
            np.ascontiguousarray(T1).ravel(),
            np.ascontiguousarray(T2).ravel(),
        )
        out = flat.reshape(T1.shape)
        return out if out.ndim else float(out)

    def conductivity_integral(self, T1, T2):
        """Signed integral of k from T1 to T2, W/m (broadcasting; through the Kirchhoff table).

        Parameters
        ----------
        T1, T2 : float or ndarray
            End temperatures in kelvin (broadcast together).

        Returns
        -------
        float or ndarray
            int_{T1}^{T2} k dT in W/m; Q = (A/L) times this for a 1-D link.
        """
        return self._integral("k", T1, T2)

    def enthalpy_change(self, T1, T2):
        """Signed integral of cp from T1 to T2, J/kg (broadcasting; through the table)."""
        return self._integral("cp", T1, T2)

    @property
    def k_table(self) -> PropertyTable:
        """Conductivity table on ``GRID.T``: F in W/m, f in W/(m K)."""
        return self._model("k").table

    @property
    def cp_table(self) -> PropertyTable:
        """Specific-heat table on ``GRID.T``: F in J/kg, f in J/(kg K)."""
        return self._model("cp").table
