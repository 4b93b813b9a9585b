"""User components: a custom cryocooler map, Jc fit or part, validated like a design file.

``validate_user_component(data, owner)`` checks a plain dict with pydantic and
returns a ``Component`` of kind ``"user"``. Errors name the field and say what
is allowed; a user id may never shadow a built-in id. Storing the result (with
its owner) is the application's job (``cryogen_widgets.catalog``).
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from solver._plain_errors import in_plain_words
from solver.catalog._component import Component
from solver.errors import DesignError

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class UserComponentError(DesignError):
    """A user component failed validation; the message lists every field and problem."""


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)
    name: str = Field(min_length=1, max_length=200)
    maker: str = ""
    model: str = ""
    source: str = Field("user supplied", min_length=1)


class CapacityCurve(BaseModel):
    """Single-stage lift curve: rows of (T_K, Q_W)."""

    model_config = ConfigDict(extra="forbid")

    columns: tuple[Literal["T_K"], Literal["Q_W"]] = ("T_K", "Q_W")
    data: list[tuple[Positive, NonNegative]] = Field(min_length=2)

    @field_validator("data")
    @classmethod
    def _rising(cls, rows):
        rows = sorted(rows)
        T = [r[0] for r in rows]
        Q = [r[1] for r in rows]
        if len(set(T)) != len(T):
            raise ValueError("two rows at the same temperature")
        if any(b < a for a, b in itertools.pairwise(Q)):
            raise ValueError("capacity must not fall as the stage temperature rises")
        return rows


class CapacityMap(BaseModel):
    """Two-stage map: rows of stage loads and the stage temperatures measured at them."""

    model_config = ConfigDict(extra="forbid")

    columns: tuple[Literal["Q1_W"], Literal["Q2_W"], Literal["T1_K"], Literal["T2_K"]] = (
        "Q1_W",
        "Q2_W",
        "T1_K",
        "T2_K",
    )
    data: list[tuple[NonNegative, NonNegative, Positive, Positive]] = Field(min_length=4)

    @field_validator("data")
    @classmethod
    def _temperatures_rise_with_load(cls, rows):
        a = np.asarray(rows, float)
        for j, (q, t) in enumerate(((0, 2), (1, 3))):
            other = 1 - j
            for value in np.unique(a[:, other]):
                sel = a[a[:, other] == value]
                sel = sel[np.argsort(sel[:, q])]
                if np.any(np.diff(sel[:, t]) < 0):
                    raise ValueError(
                        f"at Q{other + 1}_W = {value:g} the stage-{j + 1} temperature falls as its load "
                        "rises: a capacity map must rise monotonically"
                    )
        return rows


class RatingPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str
    T_K: Positive
    Q_W: NonNegative


class UserCryocooler(_Base):
    category: Literal["cryocooler"]
    stages: list[str] = Field(min_length=1, max_length=2)
    capacity_map: CapacityMap | None = None
    capacity_curve: CapacityCurve | None = None
    rating_points: list[RatingPoint] = Field(default_factory=list)

    @model_validator(mode="after")
    def _data_matches_stages(self):
        if self.capacity_map is not None and len(self.stages) != 2:
            raise ValueError("capacity_map needs exactly two stages")
        if self.capacity_curve is not None and len(self.stages) != 1:
            raise ValueError("capacity_curve needs exactly one stage")
        if self.capacity_map is None and self.capacity_curve is None and not self.rating_points:
            raise ValueError(
                "give capacity_map (two stages), capacity_curve (one stage) or rating_points"
            )
        for p in self.rating_points:
            if p.stage not in self.stages:
                raise ValueError(
                    f"rating point stage {p.stage!r} is not one of stages {self.stages}"
                )
        return self


class JcFit(BaseModel):
    """A critical-surface fit in one of the forms of ``solver.magnet.superconductors``."""

    model_config = ConfigDict(extra="forbid")

    form: str
    constants: dict[str, float]

    @model_validator(mode="after")
    def _known_form_and_constants(self):
        from solver.magnet.superconductors import get_superconductor, superconductor_names

        forms = {get_superconductor(n).form: get_superconductor(n) for n in superconductor_names()}
        if self.form not in forms:
            raise ValueError(f"unknown form {self.form!r}; allowed: {', '.join(sorted(forms))}")
        need = set(forms[self.form].constants)
        missing, extra = sorted(need - set(self.constants)), sorted(set(self.constants) - need)
        if missing or extra:
            raise ValueError(
                f"constants of form {self.form} are {', '.join(sorted(need))}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(extra)}" if extra else "")
            )
        return self


class UserSuperconductor(_Base):
    category: Literal["superconductor"]
    superconductor: str = Field(min_length=1)
    jc_fit: JcFit | None = None
    area_m2: Positive
    cu_to_sc: Positive | None = None
    wire_radius_m: Positive
    Ic_A: dict[str, float] | None = None

    @model_validator(mode="after")
    def _copper_split_where_the_fit_needs_it(self):
        from solver.magnet.superconductors import get_superconductor

        if self.cu_to_sc is None and not get_superconductor(self.superconductor).per_strand:
            raise ValueError(
                f"cu_to_sc is required for {self.superconductor} (its Jc is per non-Cu area)"
            )
        return self


class UserConduction(_Base):
    category: Literal["strap", "support"]
    material: str
    length_m: Positive
    area_m2: Positive

    @field_validator("material")
    @classmethod
    def _library_material(cls, name):
        from solver import materials

        materials.get(name)  # UnknownNameError (a ValueError) lists the closest ids
        return name


class Layer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    material: str
    area_m2: Positive

    @field_validator("material")
    @classmethod
    def _library_material(cls, name):
        from solver import materials

        materials.get(name)
        return name


class UserWiring(_Base):
    category: Literal["wiring"]
    layers: list[Layer] = Field(min_length=1)


_MODELS: dict[str, type[BaseModel]] = {
    "cryocooler": UserCryocooler,
    "superconductor": UserSuperconductor,
    "strap": UserConduction,
    "support": UserConduction,
    "wiring": UserWiring,
}


def validate_user_component(data: dict[str, Any], owner: str) -> Component:
    """Validate a user's component and return it as a ``Component`` of kind ``"user"``.

    Parameters
    ----------
    data : dict
        ``id``, ``name``, ``category`` (cryocooler, superconductor, strap,
        support, wiring) and the category's fields (SI units in the names).
    owner : str
        The user who owns it (stored beside it; never a built-in).

    Raises
    ------
    UserComponentError
        Listing every ``field: problem``; also when ``id`` is a built-in id.
    """
    if not owner:
        raise UserComponentError("owner: a user component needs its owner")
    category = data.get("category") if isinstance(data, dict) else None
    if category not in _MODELS:
        raise UserComponentError(
            f"category: {category!r} is not allowed; use one of {', '.join(_MODELS)}"
        )
    try:
        model: Any = _MODELS[category].model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in err['loc']) or 'component'}: {in_plain_words(err)}"
            for err in exc.errors()
        ]
        raise UserComponentError(
            f"user component {data.get('id', '?')!r}: " + "; ".join(lines)
        ) from exc
    from solver.catalog._library import _catalog  # the built-in catalog, built on first use

    if model.id in _catalog():
        raise UserComponentError(
            f"id: {model.id!r} is a built-in catalog component; a user component never overrides "
            "a built-in, choose another id (e.g. prefix it with your name)"
        )
    params = model.model_dump(
        mode="json",
        exclude={"id", "name", "maker", "model", "source", "category"},
        exclude_none=True,
    )
    if category == "strap" or category == "support":
        params["link_type"] = category
    if category == "cryocooler":
        params["has_map"] = model.capacity_map is not None or model.capacity_curve is not None
    return Component(
        id=model.id,
        category=category,
        family="user",
        kind="user",
        maker=model.maker,
        model=model.model,
        name=model.name,
        source=model.source,
        parameters=params,
        units={},
        owner=owner,
    )
