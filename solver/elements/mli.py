"""``mli``: multilayer insulation by the modified Lockheed equation.

Modified Lockheed equation, perforated double-aluminised Mylar with glass-fibre
paper spacer (Keller, Cunnington & Glassford, NASA CR-134477 (1974); constants as
used by three independent codes, ../shared/reference/extra/mli_lockheed.json):

    q = C_s N̄^2.63 (T_h − T_c)(T_h + T_c) / (2 (N_s + 1)) + C_r ε (T_h^4.67 − T_c^4.67) / N_s
        + C_g P (T_h^m − T_c^m) / N_s          [q W/m², N̄ layers/cm, P torr]
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from solver.elements._base import Link, NonNegativeFloat, PositiveFloat
from solver.elements._spec import LinkSpec, LinkTerms, PowerLaw

TORR_IN_PA = 101325.0 / 760.0  # Pa per torr (definition: 1 atm = 760 torr = 101325 Pa)
MLI_CS = 7.3e-8
MLI_N_EXPONENT = 2.63
MLI_CR = 7.07e-10
MLI_EPSILON = 0.043
MLI_RADIATION_EXPONENT = 4.67
MLI_GAS = {"N2": (1.46e4, 0.52), "He": (4.89e4, 0.26)}  # (C_g, exponent m)


class MLI(Link):
    """Multilayer insulation of ``layers`` at ``layer_density_per_cm`` over ``area_m2``.

    ``degradation`` multiplies the ideal blanket's heat flow (real blankets with seams
    and penetrations run above the Lockheed value).
    """

    type: Literal["mli"]
    area_m2: PositiveFloat
    layers: Annotated[int, Field(ge=1, le=500, strict=True)]
    layer_density_per_cm: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    pressure_Pa: NonNegativeFloat = 1e-4
    gas: Literal["N2", "He"] = "N2"
    degradation: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] = 1.0


def mli_terms(item: MLI) -> list[PowerLaw]:
    """Power-law terms (coefficient W/K^p, exponent p) of an MLI link, for the whole area and count."""
    scale = item.count * item.area_m2 * item.degradation
    n_s = item.layers
    c_g, m = MLI_GAS[item.gas]
    pressure_torr = item.pressure_Pa / TORR_IN_PA
    terms = [
        PowerLaw(
            scale * MLI_CS * item.layer_density_per_cm**MLI_N_EXPONENT / (2.0 * (n_s + 1)), 2.0
        ),
        PowerLaw(scale * MLI_CR * MLI_EPSILON / n_s, MLI_RADIATION_EXPONENT),
    ]
    if pressure_torr > 0:
        terms.append(PowerLaw(scale * c_g * pressure_torr / n_s, m))
    return terms


def _lower(item: MLI) -> LinkTerms:
    return list(mli_terms(item))


def _flags(item: MLI) -> list[str]:
    """Flag the Lockheed gas term when the gas between layers is not free-molecular."""
    from solver import gases

    if item.pressure_Pa <= 0:
        return []
    spacing_m = 0.01 / item.layer_density_per_cm
    knudsen = gases.mean_free_path_m(item.gas, 300.0, item.pressure_Pa) / spacing_m
    if knudsen >= gases.FREE_MOLECULAR_KNUDSEN_LIMIT:
        return []
    return [
        (
            f"link {item.id!r}: residual {item.gas} at {item.pressure_Pa:g} Pa is not free-molecular "
            f"between layers (Knudsen number λ(300 K)/layer spacing = {knudsen:.3g} < "
            f"{gases.FREE_MOLECULAR_KNUDSEN_LIMIT:g}): the Lockheed gas term "
            "is outside its regime"
        )
    ]


SPECS = (LinkSpec("mli", MLI, lower=_lower, flags=_flags),)
