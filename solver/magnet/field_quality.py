"""Field quality: homogeneity (ppm) over a sphere or cylinder; multipole harmonics.

Both take a field function ``field(points (n, 3) m) -> (n, 3) T`` (e.g. ``Magnet.field``
or ``Coil.field``) and return an xarray Dataset with units in attrs.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet._frames import rotation_to_axis


def _fibonacci_sphere(n: int) -> np.ndarray:
    i = np.arange(n) + 0.5
    z = 1 - 2 * i / n
    r = np.sqrt(1 - z * z)
    phi = np.pi * (1 + 5**0.5) * i
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


def homogeneity(
    field,
    radius_m: float,
    center_m=(0.0, 0.0, 0.0),
    shape: str = "sphere",
    length_m: float | None = None,
    axis=(0.0, 0.0, 1.0),
    n_points: int = 2000,
) -> xr.Dataset:
    """Peak-to-peak homogeneity of the main field component over a volume, in ppm.

    The main component is B·ê with ê the direction of B at the centre. It is a
    harmonic function in a current-free region, so its extremes over the volume
    lie on the boundary (maximum principle): the surface is sampled.

    Parameters
    ----------
    field : callable
        ``field(points (n, 3) m) -> (n, 3) T``.
    radius_m : float
        Radius of the sphere or cylinder in metres.
    center_m : array_like, shape (3,)
        Centre of the volume in metres.
    shape : {"sphere", "cylinder"}
        Volume shape ("dsv" for a sphere, or a cylinder of ``length_m`` about ``axis``).
    length_m : float, optional
        Cylinder length in metres (required for a cylinder).
    axis : array_like, shape (3,)
        Cylinder axis.
    n_points : int
        Approximate number of surface samples.

    Returns
    -------
    xarray.Dataset
        ``homogeneity_ppm`` = (max − min)/B0·1e6, ``B0_T`` (main component at the centre),
        ``Bmin_T``, ``Bmax_T``.
    """
    if not radius_m > 0:
        raise DesignError(f"homogeneity: radius_m must be positive, got {radius_m!r}")
    c = np.asarray(center_m, dtype=float)
    if shape == "sphere":
        pts = c + radius_m * _fibonacci_sphere(n_points)
    elif shape == "cylinder":
        if length_m is None or not length_m > 0:
            raise DesignError("homogeneity: a cylinder needs length_m > 0")
        n_side = max(8, int(np.sqrt(n_points)))
        phi = np.arange(n_side) * 2 * np.pi / n_side
        zs = np.linspace(-0.5, 0.5, n_side) * length_m
        pp, zz = np.meshgrid(phi, zs, indexing="ij")
        side = np.stack([radius_m * np.cos(pp), radius_m * np.sin(pp), zz], axis=-1).reshape(-1, 3)
        rr, pc = np.meshgrid(np.linspace(0, radius_m, n_side // 2), phi, indexing="ij")
        cap = np.stack([rr * np.cos(pc), rr * np.sin(pc), np.zeros_like(rr)], axis=-1).reshape(
            -1, 3
        )
        end = np.array([0.0, 0.0, 0.5 * length_m])
        local = np.concatenate([side, cap + end, cap - end])
        pts = c + local @ rotation_to_axis(np.asarray(axis, dtype=float)).T
    else:
        raise DesignError(f"homogeneity: shape must be 'sphere' or 'cylinder', got {shape!r}")
    b_center = field(c.reshape(1, 3))[0]
    b0 = float(np.linalg.norm(b_center))
    if b0 == 0:
        raise DesignError(
            "homogeneity: the field at the centre is zero; no main component to refer to"
        )
    main = field(pts) @ (b_center / b0)
    bmin, bmax = float(main.min()), float(main.max())
    return xr.Dataset(
        {
            "homogeneity_ppm": (
                (),
                (bmax - bmin) / b0 * 1e6,
                {"units": "ppm", "long_name": "peak-to-peak"},
            ),
            "B0_T": ((), b0, {"units": "T"}),
            "Bmin_T": ((), bmin, {"units": "T"}),
            "Bmax_T": ((), bmax, {"units": "T"}),
        },
        attrs={"shape": shape, "radius_m": radius_m, "n_points": len(pts)},
    )


def harmonics(
    field,
    reference_radius_m: float,
    main_order: int = 1,
    n_max: int = 15,
    center_m=(0.0, 0.0, 0.0),
    n_samples: int = 128,
) -> xr.Dataset:
    """2-D multipole harmonics on a circle in the x-y plane through ``center_m``.

    With w = x + iy relative to the centre, By + iBx = Σ (B_n + iA_n)(w/r0)^(n−1)
    (European convention, n = 1 dipole, 2 quadrupole). The coefficients come from
    the FFT of By + iBx on the reference circle; b_n = 1e4·B_n/B_ref and
    a_n = 1e4·A_n/B_ref in units, with B_ref = |B_main + iA_main|.

    Parameters
    ----------
    field : callable
        ``field(points (n, 3) m) -> (n, 3) T``; the magnet's bore along z.
    reference_radius_m : float
        Reference radius r0 in metres.
    main_order : int
        Order of the main field (1 dipole, 2 quadrupole, ...).
    n_max : int
        Highest order returned.
    center_m : array_like, shape (3,)
        Centre of the circle in metres.
    n_samples : int
        Points on the circle (> 2·n_max).

    Returns
    -------
    xarray.Dataset
        ``b``, ``a`` (units of 1e-4 of B_ref) and ``B_n_T``, ``A_n_T`` on dim ``n``;
        ``B_ref_T`` in tesla.
    """
    if not reference_radius_m > 0:
        raise DesignError("harmonics: reference_radius_m must be positive")
    if not 1 <= main_order <= n_max or n_samples <= 2 * n_max:
        raise DesignError("harmonics: need 1 ≤ main_order ≤ n_max and n_samples > 2·n_max")
    theta = np.arange(n_samples) * 2 * np.pi / n_samples
    c = np.asarray(center_m, dtype=float)
    pts = c + np.stack(
        [
            reference_radius_m * np.cos(theta),
            reference_radius_m * np.sin(theta),
            np.zeros_like(theta),
        ],
        axis=1,
    )
    b = field(pts)
    f = b[:, 1] + 1j * b[:, 0]
    coef = np.fft.fft(f) / n_samples  # coef[k] multiplies e^{ikθ}: k = n − 1
    cn = coef[:n_max]
    b_ref = float(abs(cn[main_order - 1]))
    if b_ref == 0:
        raise DesignError(
            f"harmonics: the order-{main_order} field is zero on the reference circle"
        )
    n = np.arange(1, n_max + 1)
    return xr.Dataset(
        {
            "b": (
                "n",
                1e4 * cn.real / b_ref,
                {"units": "1e-4 of B_ref", "long_name": "normal harmonic"},
            ),
            "a": (
                "n",
                1e4 * cn.imag / b_ref,
                {"units": "1e-4 of B_ref", "long_name": "skew harmonic"},
            ),
            "B_n_T": ("n", cn.real, {"units": "T"}),
            "A_n_T": ("n", cn.imag, {"units": "T"}),
            "B_ref_T": ((), b_ref, {"units": "T"}),
        },
        coords={"n": n},
        attrs={"reference_radius_m": reference_radius_m, "main_order": main_order},
    )
