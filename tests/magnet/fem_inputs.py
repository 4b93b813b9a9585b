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


def window_frame_gap_field_T() -> float:
    """Gap field of the yoked-dipole template by the magnetic circuit, T:
    B = μ0 N I / (g + l_Fe/μ_r) (Wilson, *Superconducting Magnets*, §1.3 for the ideal
    yoke), N I = 40 kA per side, gap g = 0.1 m, iron path l_Fe ≈ 1.1 m at
    μ_r = B/(μ0 H) of AISI 1010 at 0.5 T (μ_r ≈ 2050 from the catalog curve)."""
    from scipy.optimize import brentq

    from solver.magnet.fem import bh_curve

    mu0 = 1.25663706212e-6  # H/m, CODATA 2018
    ni, gap, l_fe = 40000.0, 0.1, 1.1
    curve = bh_curve("AISI-1010")
    h_fe = brentq(lambda h: curve.b_of_h(h) - 0.5, 1.0, 1e4)
    mu_r = 0.5 / (mu0 * h_fe)
    return mu0 * ni / (gap + l_fe / mu_r)


def line_current_beside_rod(current_A, d_m, radius_m, mu_r, max_size_m, **extra) -> dict:
    """Planar coil file: a line current at (d, 0) beside a linear iron rod of ``radius_m``
    centred on the origin (the image problem of Smythe §7.18)."""
    return {
        "schema": "cryogen/coil@1",
        "symmetry": "planar",
        "coils": [
            {"id": "w", "type": "line_current", "position_m": [d_m, 0], "current_A": current_A}
        ],
        "iron": [
            {
                "id": "rod",
                "material": {"mu_r": mu_r},
                "shape": {
                    "type": "annulus",
                    "centre_m": [0, 0],
                    "r_inner_m": 0,
                    "r_outer_m": radius_m,
                },
            }
        ],
        "mesh": {"max_size_m": max_size_m},
        **extra,
    }
