"""Critical surfaces Jc(B, T[, strain]) and conductors (strand with Cu:non-Cu ratio).

Constants and sources live in ``materials_data/superconductors.json``. Outside the
critical surface (B ≥ Bc2(T) or T ≥ Tc) the critical current density is 0: the
strand is normal there, which is physics, not a clamp.

A fit's ``basis`` says which area its current density refers to: ``non_cu`` (the
superconductor, or the REBCO layer) or ``strand`` (the whole wire, an engineering
Je, as the Bi-2212 fit gives). :attr:`Conductor.jc_area_m2` is that area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictFloat
from scipy import optimize

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.errors import DesignError, UnknownNameError

DATA_FILE = DATA_DIR / "superconductors.json"


class _Fit(BaseModel):
    """One critical-surface parametrization: its form, constants, valid range and source."""

    model_config = ConfigDict(extra="allow")

    form: str
    constants: dict[str, StrictFloat] = Field(min_length=1)  # numbers, never strings
    valid_range: dict[str, tuple[float, float]]
    source: str | dict[str, Any]
    density_kg_m3: Annotated[float, Field(gt=0)] | None  # None: no sourced density


class _FitFile(BaseModel):
    """``materials_data/superconductors.json``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    meta: dict[str, Any] = Field(alias="_meta")
    superconductors: dict[str, _Fit] = Field(min_length=1)
    not_included: dict[str, str] = Field(default_factory=dict)


@cache
def _data() -> dict:
    doc = read_validated(DATA_FILE, _FitFile, "superconductor")
    return {name: fit.model_dump(by_alias=True) for name, fit in doc.superconductors.items()}


def superconductor_names() -> list[str]:
    """Names of the superconductors with a critical-surface fit."""
    return sorted(_data())


@dataclass(frozen=True)
class Superconductor:
    """A critical-surface fit: ``name``, ``form`` and ``constants`` from the data file."""

    name: str
    form: str
    constants: dict = field(repr=False)
    valid_range: dict = field(repr=False)
    source: dict = field(repr=False)
    density_kg_m3: float | None = None
    basis: str = "non_cu"

    @property
    def per_strand(self) -> bool:
        """True when Jc is per whole strand (an engineering Je), so no Cu:SC split is needed."""
        return self.basis == "strand"

    def jc(self, B_T, T_K, strain: float = 0.0):
        """Critical current density on the fit's ``basis`` (non-Cu, REBCO layer, or whole strand).

        Parameters
        ----------
        B_T : float or ndarray
            Flux density magnitude at the conductor in tesla (sign ignored).
        T_K : float or ndarray
            Conductor temperature in kelvin (> 0).
        strain : float
            Intrinsic axial strain (Nb3Sn only; 0 = peak of the strain curve).

        Returns
        -------
        float or ndarray
            Jc in A/m²; 0 outside the critical surface.
        """
        B = np.abs(np.asarray(B_T, dtype=float))
        T = np.asarray(T_K, dtype=float)
        if np.any(~np.isfinite(T)) or np.any(T <= 0):
            raise DesignError(
                f"{self.name}: temperature must be a positive number of kelvin, got {T_K!r}"
            )
        if strain != 0.0 and self.form != "iter2008_nb3sn":
            raise DesignError(
                f"{self.name}: the {self.form} fit has no strain dependence; use strain=0"
            )
        if not np.all(np.isfinite(B)) or not np.isfinite(strain):
            raise DesignError(
                f"{self.name}: field and strain must be finite, got {B_T!r}, {strain!r}"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            out = _FORMS[self.form](self.constants, B, T, strain)
        if not np.all(np.isfinite(out)):
            weakest = (
                float(np.min(B[~np.isfinite(np.broadcast_to(out, B.shape))]))
                if B.ndim
                else float(B)
            )
            lo = self.valid_range["B_T"][0]
            raise DesignError(
                f"{self.name}: the {self.form} fit has no finite Jc at {weakest:.4g} T (its field "
                f"term diverges towards zero field; fitted range {lo:g}-"
                f"{self.valid_range['B_T'][1]:g} T): evaluate it at a field above zero"
            )
        return float(out) if out.ndim == 0 else out

    def upper_critical_field_T(self, T_K: float, strain: float = 0.0) -> float:
        """Field at which Jc(B, T) falls to zero (Bc2, or Birr for REBCO), in tesla."""
        c = self.constants
        T = float(T_K)
        if self.form == "bottura_nbti":
            return c["Bc20_T"] * max(0.0, 1.0 - (T / c["Tc0_K"]) ** c["n"])
        if self.form == "iter2008_nb3sn":
            s = _iter2008_strain_function(c, strain)
            t = T / (c["Tc0max_K"] * s ** (1 / 3))
            return c["Bc20max_T"] * s * max(0.0, 1.0 - t**1.52)
        if self.form == "kovari_bi2212":
            return _kovari_zero_field_T(c) * float(np.exp(-c["kT_per_K"] * (T - c["Tref_K"])))
        return c["Birr0_T"] * max(0.0, 1.0 - T / c["Tc0_K"]) ** c["alpha"]

    def critical_temperature_K(self, B_T: float, strain: float = 0.0) -> float:
        """Temperature at which Jc(B, T) falls to zero, in kelvin, at field ``B_T`` (tesla)."""
        c = self.constants
        B = abs(float(B_T))
        if self.form == "bottura_nbti":
            return c["Tc0_K"] * max(0.0, 1.0 - B / c["Bc20_T"]) ** (1.0 / c["n"])
        if self.form == "iter2008_nb3sn":
            s = _iter2008_strain_function(c, strain)
            return (
                c["Tc0max_K"]
                * s ** (1 / 3)
                * max(0.0, 1.0 - B / (c["Bc20max_T"] * s)) ** (1 / 1.52)
            )
        if self.form == "kovari_bi2212":
            # the fit's zero: B·exp(kT (T - Tref)) = b0 (it has no Tc of its own)
            if B <= 0:
                raise DesignError(
                    f"{self.name}: the {self.form} fit has no zero-field critical temperature; "
                    f"it is valid for {self.valid_range['B_T'][0]:g} T and above"
                )
            return c["Tref_K"] + float(np.log(_kovari_zero_field_T(c) / B)) / c["kT_per_K"]
        # REBCO: Birr(T) = B  ->  T = Tc0 (1 - (B/Birr0)^(1/alpha))
        return c["Tc0_K"] * (1.0 - min(1.0, B / c["Birr0_T"]) ** (1.0 / c["alpha"]))

    def operating_range_K(self) -> tuple[float, float]:
        """Temperatures (K) where the fit applies and the conductor can superconduct.

        From the fit's lowest temperature to the lower of its highest temperature and
        Tc at its lowest field.
        """
        t_lo, t_hi = self.valid_range["T_K"]
        return float(t_lo), min(
            float(t_hi), self.critical_temperature_K(self.valid_range["B_T"][0])
        )

    def range_notes(self, B_T: float, T_K: float) -> list[str]:
        """Why (B, T) lies outside the fit's published range; empty inside it (tesla, kelvin)."""
        notes = []
        for key, value, unit in (("B_T", abs(float(B_T)), "T"), ("T_K", float(T_K), "K")):
            lo, hi = self.valid_range[key]
            if not lo <= value <= hi:
                notes.append(
                    f"{self.name} fit used at {value:.4g} {unit}, outside its range {lo:g}-{hi:g} {unit}"
                )
        return notes

    def current_sharing_temperature_K(
        self, B_T: float, J_A_m2: float, strain: float = 0.0
    ) -> float:
        """Temperature at which Jc(B, T) equals the operating current density ``J_A_m2``.

        Parameters
        ----------
        B_T : float
            Field at the conductor in tesla.
        J_A_m2 : float
            Operating current density on the fit's basis (see :attr:`Conductor.jc_area_m2`), A/m².
        strain : float
            Intrinsic strain (Nb3Sn).

        Returns
        -------
        float
            T_cs in kelvin. DesignError when J exceeds Jc even at the lowest
            temperature of the fit's range.
        """
        tc = self.critical_temperature_K(B_T, strain)
        if not J_A_m2 > 0:
            return tc
        t_lo = max(self.valid_range["T_K"][0], 1e-3 * tc, 1e-3)
        if tc <= t_lo or self.jc(B_T, t_lo, strain) < J_A_m2:
            raise DesignError(
                f"{self.name}: J = {J_A_m2:.4g} A/m² exceeds Jc at {B_T:.4g} T even at {t_lo:.3g} K; "
                "the conductor cannot carry this current: lower the current or the field"
            )
        return float(
            optimize.brentq(
                lambda t: self.jc(B_T, t, strain) - J_A_m2, t_lo, tc, xtol=1e-10, rtol=1e-12
            )
        )


def get_superconductor(name: str) -> Superconductor:
    """The fit named ``name`` (``NbTi``, ``Nb3Sn``, ``REBCO``, ``Bi-2212``); unknown names list the valid ones."""
    data = _data()
    if name not in data:
        raise UnknownNameError("superconductor", name, data)
    d = data[name]
    return Superconductor(
        name=name,
        form=d["form"],
        constants=d["constants"],
        valid_range=d["valid_range"],
        source=d["source"],
        density_kg_m3=d.get("density_kg_m3"),
        basis=d.get("basis", "non_cu"),
    )


# --------------------------------------------------------------------------- forms


def _bottura_nbti(c, B, T, strain):
    t = T / c["Tc0_K"]
    one_minus = np.clip(1.0 - t ** c["n"], 0.0, None)
    bc2 = c["Bc20_T"] * one_minus
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(bc2 > 0, B / np.where(bc2 > 0, bc2, 1.0), np.inf)
        inside = (b < 1.0) & (one_minus > 0)
        bs = np.where(inside, b, 0.5)
        bc2s = np.where(inside, bc2, 1.0)
        jc = (
            c["Jref_A_m2"]
            * c["C0_T"]
            * B ** (c["alpha"] - 1.0)
            / bc2s ** c["alpha"]
            * (1.0 - bs) ** c["beta"]
            * one_minus ** c["gamma"]
        )
    return np.where(inside, jc, 0.0)


def _iter2008_strain_function(c, strain):
    ca1, ca2, e0 = c["Ca1"], c["Ca2"], c["eps0a"]
    esh = ca2 * e0 / np.sqrt(ca1**2 - ca2**2)
    return 1.0 + (
        ca1 * (np.sqrt(esh**2 + e0**2) - np.sqrt((strain - esh) ** 2 + e0**2)) - ca2 * strain
    ) / (1.0 - ca1 * e0)


def _iter2008_nb3sn(c, B, T, strain):
    s = _iter2008_strain_function(c, strain)
    t = T / (c["Tc0max_K"] * s ** (1 / 3))
    ft = np.clip(1.0 - t**1.52, 0.0, None)
    bc2 = c["Bc20max_T"] * s * ft
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = (t < 1.0) & (B < bc2)
        b = np.where(inside, B / np.where(bc2 > 0, bc2, 1.0), 0.5)
        jc = c["C_AT_m2"] / B * s * ft * (1.0 - t**2) * b ** c["p"] * (1.0 - b) ** c["q"]
    return np.where(inside, jc, 0.0)


def _rebco_irreversibility(c, B, T, strain):
    with np.errstate(divide="ignore", invalid="ignore"):
        birr = c["Birr0_T"] * np.clip(1.0 - T / c["Tc0_K"], 0.0, None) ** c["alpha"]
        inside = B < birr
        br = np.where(inside, B / np.where(birr > 0, birr, 1.0), 0.5)
        jc = c["A"] / B * birr ** c["beta"] * br ** c["p"] * (1.0 - br) ** c["q"]
    return np.where(inside, jc, 0.0)


def _kovari_zero_field_T(c) -> float:
    """Temperature-adjusted field b0 (T) at which the Kovari Bi-2212 fit reaches zero."""
    return float(np.log(c["a0_A_m2"] / c["c0_A_m2"])) / c["kB_per_T"]


def _kovari_bi2212(c, B, T, strain):
    b = B * np.exp(c["kT_per_K"] * (T - c["Tref_K"]))
    return np.clip(c["a0_A_m2"] * np.exp(-c["kB_per_T"] * b) - c["c0_A_m2"], 0.0, None)


_FORMS = {
    "bottura_nbti": _bottura_nbti,
    "iter2008_nb3sn": _iter2008_nb3sn,
    "rebco_irreversibility": _rebco_irreversibility,
    "kovari_bi2212": _kovari_bi2212,
}


# --------------------------------------------------------------------------- conductor


@dataclass(frozen=True)
class Conductor:
    """A superconducting strand.

    Parameters
    ----------
    superconductor : str
        Name of the critical-surface fit (``NbTi``, ``Nb3Sn``, ``REBCO``, ``Bi-2212``).
    cu_to_sc : float or None
        Copper to non-copper area ratio (> 0); may be None for a fit on the
        ``strand`` basis (Ic = Je·A needs no split), which then has no copper for
        quench analysis.
    area_m2 : float
        Total strand cross-section in m².
    wire_radius_m : float, optional
        Radius of the (round) strand in metres, used to sample the field on the
        wire surface of filament coils.
    rrr : float, optional
        Residual resistivity ratio of the stabilising copper (quench analysis).
    strain : float
        Intrinsic axial strain (Nb3Sn only).
    """

    superconductor: str
    cu_to_sc: float | None
    area_m2: float
    wire_radius_m: float | None = None
    rrr: float | None = None
    strain: float = 0.0

    def __post_init__(self):
        fit = get_superconductor(self.superconductor)
        if self.cu_to_sc is None and not fit.per_strand:
            raise DesignError(
                f"conductor: field 'cu_to_sc' is required for {fit.name} (its Jc is per non-Cu area)"
            )
        v = self.area_m2
        if not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
            raise DesignError(f"conductor: field 'area_m2' must be a positive number, got {v!r}")
        for name in ("cu_to_sc", "wire_radius_m", "rrr"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
                raise DesignError(f"conductor: field {name!r} must be a positive number, got {v!r}")

    @cached_property
    def fit(self) -> Superconductor:
        """The critical-surface fit (looked up once per conductor)."""
        return get_superconductor(self.superconductor)

    def _ratio(self) -> float:
        if self.cu_to_sc is None:
            raise DesignError(
                f"conductor: {self.superconductor} has no cu_to_sc, so its copper and "
                "superconductor areas are unknown; set conductor field 'cu_to_sc'"
            )
        return self.cu_to_sc

    @property
    def sc_area_m2(self) -> float:
        """Superconductor (non-Cu) area in m²: A / (1 + Cu:non-Cu)."""
        return self.area_m2 / (1.0 + self._ratio())

    @property
    def cu_area_m2(self) -> float:
        """Copper area in m²: A·r / (1 + r)."""
        return self.area_m2 * self._ratio() / (1.0 + self._ratio())

    @property
    def jc_area_m2(self) -> float:
        """Area the fit's current density refers to, m²: the whole strand or the non-Cu part."""
        return self.area_m2 if self.fit.per_strand else self.sc_area_m2

    def critical_current_A(self, B_T, T_K):
        """Critical current of the strand, A: Jc(B, T) times the fit's basis area."""
        return self.fit.jc(B_T, T_K, self.strain) * self.jc_area_m2

    def engineering_jc(self, B_T, T_K):
        """Engineering critical current density, A/m²: Ic / A_strand."""
        return self.critical_current_A(B_T, T_K) / self.area_m2
