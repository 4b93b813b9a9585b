"""Coil-file pieces shared by the FEM tests and benchmark."""

SOLENOID = {
    "id": "main",
    "type": "solenoid",
    "inner_radius_m": 0.1,
    "outer_radius_m": 0.12,
    "length_m": 0.4,
    "turns": 2000,
    "current_A": 50,
}
"""The thick solenoid of DESIGN.md's iron example (2000 turns at 50 A)."""


def axisymmetric_file(coils: list[dict], max_size_m: float, **extra) -> dict:
    """An axisymmetric coil file with these windings, no iron (FEM path) and a mesh size."""
    return {
        "schema": "cryogen/coil@1",
        "symmetry": "axisymmetric",
        "coils": coils,
        "iron": [],
        "mesh": {"max_size_m": max_size_m},
        **extra,
    }


def biot_savart_solenoid(d: dict):
    """The Biot–Savart Solenoid of a coil-file solenoid dict."""
    from solver.magnet import Solenoid

    return Solenoid(**{k: v for k, v in d.items() if k != "type"})
