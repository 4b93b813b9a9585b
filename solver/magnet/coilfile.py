"""Read a ``cryogen/coil@1`` object (DESIGN.md, coil file) into a :class:`Magnet`.

Every error is a :class:`solver.errors.DesignError` that names the coil id and the
field; unknown keys are errors; an unknown coil type lists the valid ones.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from solver._jsonfile import read_json
from solver.errors import DesignError, UnknownNameError
from solver.magnet.coils import COIL_TYPES, Coil
from solver.magnet.fem.magnet import FemMagnet, fem_magnet_from_dict
from solver.magnet.fem.magnet3d import FemMagnet3D, fem_magnet3d_from_dict
from solver.magnet.fem.problem import SYMMETRIES, needs_fem, problem_to_dict
from solver.magnet.fem.problem3d import SYMMETRY_3D, is_3d
from solver.magnet.magnet import Magnet
from solver.magnet.superconductors import Conductor

SCHEMA = "cryogen/coil@1"
TOP_LEVEL_KEYS = (
    "schema",
    "name",
    "coils",
    "conductor",
    "operating_temperature_K",
    "meta",
    "symmetry",
    "iron",
    "background_field_T",
    "mesh",
)
CONDUCTOR_KEYS = ("superconductor", "cu_to_sc", "area_m2", "wire_radius_m", "rrr", "strain")


def coil_from_dict(d: dict) -> Magnet | FemMagnet | FemMagnet3D:
    """Validate a ``cryogen/coil@1`` object and build the :class:`Magnet` it describes.

    A file with ``iron``, ``background_field_T`` or a ``line_current`` coil gives a
    :class:`solver.magnet.fem.FemMagnet` (finite elements, DESIGN.md "Iron and symmetry")
    with the same ``field``/``field_map``, or with ``"symmetry": "none"`` a
    :class:`solver.magnet.fem.FemMagnet3D` (3-D, any coil types); any other file is solved
    by Biot–Savart.

    Parameters
    ----------
    d : dict
        The parsed JSON object (``schema``, ``coils``, optional ``conductor``,
        ``operating_temperature_K``, ``name``, ``meta``).

    Returns
    -------
    Magnet, FemMagnet or FemMagnet3D

    Raises
    ------
    DesignError
        Naming the coil id and field (or ``conductor``/top-level field) and what is allowed.
    """
    if not isinstance(d, dict):
        raise DesignError(
            f"a coil file must be a JSON object with schema {SCHEMA!r}, got {type(d).__name__}"
        )
    unknown = [k for k in d if k not in TOP_LEVEL_KEYS]
    if unknown:
        raise DesignError(
            f"coil file: unknown field {unknown[0]!r}; allowed top-level fields: {', '.join(TOP_LEVEL_KEYS)}"
        )
    if d.get("schema") != SCHEMA:
        raise DesignError(f"coil file: field 'schema' must be {SCHEMA!r}, got {d.get('schema')!r}")
    name = str(d.get("name") or "coil file")
    if needs_fem(d) and is_3d(d):
        coils_raw = d.get("coils")
        if not isinstance(coils_raw, list) or not coils_raw:
            raise DesignError("coil file: field 'coils' must be a non-empty list of coil objects")
        magnet3d = fem_magnet3d_from_dict(d, _coils(coils_raw), name=name)
        # the strand's radius gives the coils' self inductance (margins and quench are 2-D)
        magnet3d.conductor, magnet3d.operating_temperature_K = _conductor_and_temperature(d)
        return magnet3d
    if needs_fem(d):
        magnet = fem_magnet_from_dict(d, name=name)
        magnet.conductor, magnet.operating_temperature_K = _conductor_and_temperature(d)
        return magnet
    if "mesh" in d:
        raise DesignError(
            "coil file: field 'mesh' applies only to finite-element files (with iron, "
            "background_field_T or line_current coils)"
        )
    symmetry = d.get("symmetry")
    allowed = (*SYMMETRIES, SYMMETRY_3D)
    if symmetry is not None and symmetry not in allowed:
        raise DesignError(
            f"coil file: field 'symmetry' must be one of {', '.join(allowed)}, got {symmetry!r}"
        )
    coils_raw = d.get("coils")
    if not isinstance(coils_raw, list) or not coils_raw:
        raise DesignError("coil file: field 'coils' must be a non-empty list of coil objects")
    coils = _coils(coils_raw)
    conductor, t_op = _conductor_and_temperature(d)
    return Magnet(coils, conductor=conductor, operating_temperature_K=t_op)


def _conductor_and_temperature(d: dict) -> tuple[Conductor | None, float | None]:
    """The coil file's ``conductor`` and ``operating_temperature_K`` (None when absent)."""
    conductor = _conductor(d["conductor"]) if d.get("conductor") is not None else None
    t_op = d.get("operating_temperature_K")
    if t_op is not None and not (
        isinstance(t_op, int | float)
        and not isinstance(t_op, bool)
        and math.isfinite(t_op)
        and 1e-3 <= t_op <= 2000
    ):
        raise DesignError(
            "coil file: field 'operating_temperature_K' must be a temperature from 0.001 to "
            f"2000 K, got {t_op!r}"
        )
    return conductor, None if t_op is None else float(t_op)


def magnet_to_dict(magnet: Magnet | FemMagnet | FemMagnet3D) -> dict:
    """The ``cryogen/coil@1`` object of a magnet (JSON-ready); inverse of :func:`coil_from_dict`."""
    if isinstance(magnet, FemMagnet3D):
        return json.loads(json.dumps(magnet.description))
    if isinstance(magnet, FemMagnet):
        return {**problem_to_dict(magnet.problem), **_conductor_dict(magnet)}
    coils = []
    for c in magnet.coils:
        d = {"id": c.id, "type": c.type}
        d.update({k: v for k, v in c.model_dump(exclude_none=True).items() if k != "id"})
        coils.append(json.loads(json.dumps(d)))  # tuples -> lists
    return {"schema": SCHEMA, "coils": coils, **_conductor_dict(magnet)}


def _conductor_dict(magnet: Magnet | FemMagnet) -> dict:
    """The ``conductor`` and ``operating_temperature_K`` fields of a magnet (those it has)."""
    out: dict = {}
    if magnet.conductor is not None:
        cond = magnet.conductor
        out["conductor"] = {
            k: getattr(cond, k) for k in CONDUCTOR_KEYS if getattr(cond, k) is not None
        }
    if magnet.operating_temperature_K is not None:
        out["operating_temperature_K"] = magnet.operating_temperature_K
    return out


def load_coil_file(path) -> Magnet | FemMagnet | FemMagnet3D:
    """Read and validate a coil file (JSON); see :func:`coil_from_dict`."""
    d = read_json(path, "coil")
    try:
        return coil_from_dict(d)
    except DesignError as exc:
        raise DesignError(f"{Path(path).name}: {exc}") from None


def _coils(coils_raw: list) -> list[Coil]:
    coils: list[Coil] = []
    seen: set[str] = set()
    for i, raw in enumerate(coils_raw):
        coil = _coil(i, raw)
        if coil.id in seen:
            raise DesignError(
                f"coil {coil.id!r}: field 'id' is used twice; coil ids must be unique"
            )
        seen.add(coil.id)
        coils.append(coil)
    return coils


def _coil(index: int, raw) -> Coil:
    if not isinstance(raw, dict):
        raise DesignError(
            f"coils[{index}]: each coil must be a JSON object, got {type(raw).__name__}"
        )
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid:
        raise DesignError(f"coils[{index}]: field 'id' is required (a non-empty string)")
    ctype = raw.get("type")
    if not isinstance(ctype, str) or ctype not in COIL_TYPES:
        if ctype is None:
            raise DesignError(
                f"coil {cid!r}: field 'type' is required; valid types: {', '.join(COIL_TYPES)}"
            )
        raise UnknownNameError(
            "coil type", str(ctype), COIL_TYPES, where=f"coil {cid!r}: field 'type'"
        )
    fields = {k: v for k, v in raw.items() if k != "type"}
    return COIL_TYPES[ctype](**fields)


def _conductor(raw) -> Conductor:
    if not isinstance(raw, dict):
        raise DesignError("conductor: must be a JSON object")
    unknown = [k for k in raw if k not in CONDUCTOR_KEYS]
    if unknown:
        raise DesignError(
            f"conductor: unknown field {unknown[0]!r}; allowed fields: {', '.join(CONDUCTOR_KEYS)}"
        )
    for key in ("superconductor", "area_m2"):
        if raw.get(key) is None:
            raise DesignError(f"conductor: field {key!r} is required")
    sc = raw["superconductor"]
    if not isinstance(sc, str):
        raise DesignError(f"conductor: field 'superconductor' must be a name, got {sc!r}")
    for key in ("cu_to_sc", "area_m2", "wire_radius_m", "rrr", "strain"):
        v = raw.get(key)
        if v is not None and (
            isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)
        ):
            raise DesignError(f"conductor: field {key!r} must be a finite number, got {v!r}")
    try:
        return Conductor(
            superconductor=sc,
            cu_to_sc=None if raw.get("cu_to_sc") is None else float(raw["cu_to_sc"]),
            area_m2=float(raw["area_m2"]),
            wire_radius_m=None if raw.get("wire_radius_m") is None else float(raw["wire_radius_m"]),
            rrr=None if raw.get("rrr") is None else float(raw["rrr"]),
            strain=float(raw.get("strain", 0.0) or 0.0),
        )
    except UnknownNameError as exc:
        raise UnknownNameError(
            exc.kind, exc.name, exc.valid, where="conductor: field 'superconductor'"
        ) from None
