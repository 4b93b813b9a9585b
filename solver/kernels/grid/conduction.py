"""Finite-volume conduction kernels on a uniform Cartesian grid of cubic cells.

Cells are the solid (whole or cut) cells only, numbered in C order of their
(i, j, k) grid index. The CSR pattern of the Newton matrix doubles as the neighbour
list: row c holds c itself and each solid face neighbour, columns in increasing
order. Every face has centre distance h and area a·h², a the solid fraction of the
face (1 between whole cells; see ``face_fractions``). The Jacobian is kept in Kirchhoff
variables, dR/dΘ = (dR/dT)·diag(1/k): a single-material body then gives the same
symmetric matrix at every temperature.

Fluxes (W) are heat flowing INTO a cell:

* same material on both sides: a·h·(Θ(T_j) - Θ(T_i)), the Kirchhoff form (exact
  for 1-D conduction between the two cell centres with k(T));
* different materials: harmonic mean of the two half-cell conductances,
  2a·h·k_i·k_j/(k_i + k_j)·(T_j - T_i);
* boundary faces by patch kind, a their exposed fraction: fixed temperature (also
  used for network-node links) 2a·h·(Θ(T_b) - Θ(T_c)) over the half cell; heat flux
  q·a·h²; radiation εσ(T_env⁴ - T_s⁴)·a·h² with the face temperature T_s eliminated
  exactly from
  2/h·(Θ(T_c) - Θ(T_s)) = εσ(T_s⁴ - T_env⁴) by a safeguarded scalar Newton.
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit
from solver.kernels.grid.tables import (
    integral,
    integral_difference,
    integral_inverse,
    interval,
    value_slope,
)

FIXED_TEMPERATURE = 0
HEAT_FLUX = 1
RADIATION = 2

STEFAN_BOLTZMANN = 5.670374419e-8
"""σ in W/(m² K⁴), exact in the 2019 SI (CODATA 2018, NIST SP 961)."""

_ROW_ORDER = np.array([0, 2, 4, -1, 5, 3, 1], dtype=np.int64)


@jit
def build_structure(solid):
    """Cell numbering and CSR pattern (self and face neighbours) of a voxel mask.

    Parameters
    ----------
    solid : ndarray of bool, shape (nx, ny, nz)

    Returns
    -------
    flat : ndarray of int64, shape (n,) — C-order grid index of each cell.
    indptr : ndarray of int32, shape (n + 1,)
    indices : ndarray of int32, shape (nnz,)
    diag : ndarray of int32, shape (n,) — position of each diagonal entry in ``indices``.
    """
    nx, ny, nz = solid.shape
    number = np.full((nx, ny, nz), -1, dtype=np.int32)
    n = 0
    for i in range(nx):
        for j in range(ny):
            for k in range(nz):
                if solid[i, j, k]:
                    number[i, j, k] = n
                    n += 1
    flat = np.empty(n, dtype=np.int64)
    neighbours = np.full((n, 6), -1, dtype=np.int32)
    for i in range(nx):
        for j in range(ny):
            for k in range(nz):
                c = number[i, j, k]
                if c < 0:
                    continue
                flat[c] = (i * ny + j) * nz + k
                if i > 0:
                    neighbours[c, 0] = number[i - 1, j, k]
                if i < nx - 1:
                    neighbours[c, 1] = number[i + 1, j, k]
                if j > 0:
                    neighbours[c, 2] = number[i, j - 1, k]
                if j < ny - 1:
                    neighbours[c, 3] = number[i, j + 1, k]
                if k > 0:
                    neighbours[c, 4] = number[i, j, k - 1]
                if k < nz - 1:
                    neighbours[c, 5] = number[i, j, k + 1]
    indptr = np.zeros(n + 1, dtype=np.int32)
    for c in range(n):
        count = 1
        for d in range(6):
            if neighbours[c, d] >= 0:
                count += 1
        indptr[c + 1] = indptr[c] + count
    indices = np.empty(indptr[n], dtype=np.int32)
    diag = np.empty(n, dtype=np.int32)
    for c in range(n):
        p = indptr[c]
        for d in _ROW_ORDER:
            if d < 0:
                indices[p] = c
                diag[c] = p
                p += 1
            elif neighbours[c, d] >= 0:
                indices[p] = neighbours[c, d]
                p += 1
    return flat, indptr, indices, diag


@jit
def face_fractions(flat, indptr, indices, ny, nz, sides):
    """Solid fraction of the face behind every off-diagonal entry of the CSR pattern.

    The face between cells c and o counts as solid where both cells are solid on it:
    the smaller of the two cells' own-side fractions (exact where one contains the
    other's, e.g. a rod's cut faces against the box it stands on; 1 between whole cells).

    Parameters
    ----------
    flat : ndarray of int64, shape (n,) — C-order grid index of each cell.
    indptr, indices : ndarray of int32 — the CSR pattern from ``build_structure``.
    ny, nz : int — grid size along y and z.
    sides : ndarray, shape (6, nx·ny·nz) — solid fraction of each grid cell's x-, x+, y-,
        y+, z-, z+ face on the cell's side.

    Returns
    -------
    ndarray, shape (nnz,) — face fraction per entry (0 on the diagonal).
    """
    out = np.zeros(indices.shape[0])
    sx, sy = ny * nz, nz
    for c in range(indptr.shape[0] - 1):
        fc = flat[c]
        for p in range(indptr[c], indptr[c + 1]):
            o = indices[p]
            if o == c:
                continue
            fo = flat[o]
            step = fo - fc
            # strides tested x, y, z: a stride shared with a later axis means that axis
            # has one cell, so the earlier axis is the right one
            if step == -sx or step == sx:
                d = 0 if step < 0 else 1
            elif step == -sy or step == sy:
                d = 2 if step < 0 else 3
            else:
                d = 4 if step < 0 else 5
            out[p] = min(sides[d, fc], sides[d ^ 1, fo])
    return out


@jit
def _radiating_face(tab, m, h, Tc, emissivity, T_env):
    """Face temperature of a radiating face and the flux into the cell per m², with d/dTc."""
    log_t0, inv_dlog, T_nodes, THETA, K = tab
    es = emissivity * STEFAN_BOLTZMANN
    theta_c = integral(log_t0, inv_dlog, T_nodes, THETA, K, m, Tc)
    lo = min(Tc, T_env)
    hi = max(Tc, T_env)
    Ts = Tc
    for _ in range(100):
        g = 2.0 / h * (theta_c - integral(log_t0, inv_dlog, T_nodes, THETA, K, m, Ts)) - es * (
            Ts**4 - T_env**4
        )
        if g > 0.0:
            lo = Ts
        else:
            hi = Ts
        ks, _ = value_slope(log_t0, inv_dlog, T_nodes, K, m, Ts)
        dg = -2.0 / h * ks - 4.0 * es * Ts**3
        step = -g / dg
        new = Ts + step
        if not (lo < new < hi):
            new = 0.5 * (lo + hi)
        if abs(new - Ts) <= 1e-14 * Ts or hi - lo <= 1e-14 * hi:
            Ts = new
            break
        Ts = new
    kc, _ = value_slope(log_t0, inv_dlog, T_nodes, K, m, Tc)
    ks, _ = value_slope(log_t0, inv_dlog, T_nodes, K, m, Ts)
    q = -es * (Ts**4 - T_env**4)
    dTs = (2.0 / h * kc) / (2.0 / h * ks + 4.0 * es * Ts**3)
    return q, -4.0 * es * Ts**3 * dTs


@jit
def assemble(
    T,
    material,
    indptr,
    indices,
    diag,
    face_fraction,
    h,
    log_t0,
    inv_dlog,
    T_nodes,
    THETA,
    K,
    cell_power,
    bface_cell,
    bface_patch,
    bface_fraction,
    patch_kind,
    patch_value,
    patch_emissivity,
    R,
    data,
    gross,
    patch_heat,
    kv,
    jacobian,
    factor,
):
    """Net heat into every cell, its Jacobian and the gross flows, at temperatures T.

    Parameters
    ----------
    T : ndarray, shape (n,) — cell temperatures in K.
    material : ndarray of int32, shape (n,) — table row of each cell.
    face_fraction : ndarray, shape (nnz,) — solid fraction of the face between row and
        column cell (see ``face_fractions``); empty when every face is whole.
    h : float — cell size in m.
    THETA, K : ndarray, shape (n_materials, n_nodes) — Θ = ∫k dT (W/m) and k (W/(m K)).
    cell_power : ndarray, shape (n,) — volumetric sources integrated over each cell, W.
    bface_cell, bface_patch : ndarray of int32, shape (n_bfaces,) — boundary faces in patches.
    bface_fraction : ndarray, shape (n_bfaces,) — exposed fraction of each boundary face.
    patch_kind : ndarray of int32, shape (n_patches,) — FIXED_TEMPERATURE, HEAT_FLUX or RADIATION.
    patch_value : ndarray, shape (n_patches,) — T in K, flux in W/m² into the body, or T_env in K.
    patch_emissivity : ndarray, shape (n_patches,)
    jacobian : bool — also fill ``data`` (else it may be an empty array).
    factor : float — scale of the Jacobian written to ``data`` (-1 steady, -Δt transient).

    Outputs (filled in place)
    -------------------------
    R : ndarray, shape (n,) — net heat into each cell, W (zero at steady state).
    data : ndarray, shape (nnz,) — factor·dR/dΘ = factor·(dR/dT)/k_column in the CSR
        pattern, m (times s for a transient factor).
    gross : ndarray, shape (n,) — Σ|flow| through each cell's faces plus |source|, W.
    patch_heat : ndarray, shape (n_patches,) — heat into the body through each patch, W.
    kv : ndarray, shape (n,) — k of each cell, W/(m K).
    """
    tab = (log_t0, inv_dlog, T_nodes, THETA, K)
    whole = face_fraction.shape[0] == 0
    n = T.shape[0]
    n_nodes = T_nodes.shape[0]
    # pass 1: table interval, k, dk/dT and Θ of every cell (one logarithm per cell)
    at = np.empty(n, dtype=np.int32)
    sv = np.empty(n)
    theta = np.empty(n)
    for c in range(n):
        m = material[c]
        i = interval(log_t0, inv_dlog, n_nodes, T[c])
        s = (K[m, i + 1] - K[m, i]) / (T_nodes[i + 1] - T_nodes[i])
        d = T[c] - T_nodes[i]
        at[c] = i
        kv[c] = K[m, i] + s * d
        sv[c] = s
        theta[c] = THETA[m, i] + K[m, i] * d + 0.5 * s * d * d
    if jacobian:
        data[:] = 0.0
    patch_heat[:] = 0.0
    # pass 2: faces
    for c in range(n):
        Tc = T[c]
        mc = material[c]
        kc = kv[c]
        r = cell_power[c]
        g = abs(cell_power[c])
        dd = 0.0
        for p in range(indptr[c], indptr[c + 1]):
            o = indices[p]
            if o == c:
                continue
            To = T[o]
            ko = kv[o]
            ah = h if whole else h * face_fraction[p]
            if material[o] == mc:
                # in one table interval k is linear, so Θ(T_o) - Θ(T_c) = k(mean)·ΔT exactly
                same = at[o] == at[c]
                q = ah * 0.5 * (kc + ko) * (To - Tc) if same else ah * (theta[o] - theta[c])
                dq_dc = -ah * kc
                dq_do = ah * ko
            else:
                s = kc + ko
                G = 2.0 * ah * kc * ko / s
                q = G * (To - Tc)
                dq_dc = -G + (To - Tc) * 2.0 * ah * ko * ko * sv[c] / (s * s)
                dq_do = G + (To - Tc) * 2.0 * ah * kc * kc * sv[o] / (s * s)
            r += q
            g += abs(q)
            dd += dq_dc
            if jacobian:
                data[p] = factor * dq_do / ko
        R[c] = r
        gross[c] = g
        if jacobian:
            data[diag[c]] = factor * dd / kc
    for b in range(bface_cell.shape[0]):
        c = bface_cell[b]
        pa = bface_patch[b]
        kind = patch_kind[pa]
        Tc = T[c]
        mc = material[c]
        ah = h * bface_fraction[b]
        if kind == FIXED_TEMPERATURE:
            q = (
                2.0
                * ah
                * integral_difference(log_t0, inv_dlog, T_nodes, THETA, K, mc, patch_value[pa], Tc)
            )
            kc, _ = value_slope(log_t0, inv_dlog, T_nodes, K, mc, Tc)
            dq = -2.0 * ah * kc
        elif kind == HEAT_FLUX:
            q = patch_value[pa] * ah * h
            dq = 0.0
        else:
            qa, dqa = _radiating_face(tab, mc, h, Tc, patch_emissivity[pa], patch_value[pa])
            q = qa * ah * h
            dq = dqa * ah * h
        R[c] += q
        gross[c] += abs(q)
        if jacobian:
            data[diag[c]] += factor * dq / kv[c]
        patch_heat[pa] += q


@jit
def enthalpy(T, material, volume, log_t0, inv_dlog, T_nodes, HSPEC, CP, density, H, C):
    """Enthalpy of each cell above 1 mK and its heat capacity.

    Parameters
    ----------
    T : ndarray, shape (n,) — K.
    volume : ndarray, shape (n,) — solid volume of each cell, m³.
    HSPEC, CP : ndarray, shape (n_materials, n_nodes) — ∫cp dT (J/kg) and cp (J/(kg K)).
    density : ndarray, shape (n_materials,) — kg/m³.
    H : ndarray, shape (n,) — output, J.
    C : ndarray, shape (n,) — output dH/dT, J/K.
    """
    for c in range(T.shape[0]):
        m = material[c]
        mass = density[m] * volume[c]
        H[c] = mass * integral(log_t0, inv_dlog, T_nodes, HSPEC, CP, m, T[c])
        cp, _ = value_slope(log_t0, inv_dlog, T_nodes, CP, m, T[c])
        C[c] = mass * cp


@jit
def terminal_derivatives(
    T,
    material,
    h,
    log_t0,
    inv_dlog,
    T_nodes,
    K,
    bface_cell,
    bface_patch,
    bface_fraction,
    patch_terminal,
    patch_value,
    dR_dTt,
    dQ_dT,
    dQ_dTt,
):
    """Partial derivatives of the residual and of the terminal heat flows.

    Q[t] is the heat from the body into terminal t: the sum over its fixed-
    temperature faces of 2a·h·(Θ(T_c) - Θ(T_t)), a the exposed fraction of the face.

    Outputs (filled in place)
    -------------------------
    dR_dTt : ndarray, shape (n, n_terminals) — ∂R/∂T_terminal, W/K.
    dQ_dT : ndarray, shape (n_terminals, n) — ∂Q/∂T_cell, W/K.
    dQ_dTt : ndarray, shape (n_terminals, n_terminals) — ∂Q/∂T_terminal at fixed cells, W/K.
    """
    dR_dTt[:] = 0.0
    dQ_dT[:] = 0.0
    dQ_dTt[:] = 0.0
    for b in range(bface_cell.shape[0]):
        pa = bface_patch[b]
        t = patch_terminal[pa]
        if t < 0:
            continue
        c = bface_cell[b]
        m = material[c]
        kt, _ = value_slope(log_t0, inv_dlog, T_nodes, K, m, patch_value[pa])
        kc, _ = value_slope(log_t0, inv_dlog, T_nodes, K, m, T[c])
        ah = h * bface_fraction[b]
        dR_dTt[c, t] += 2.0 * ah * kt
        dQ_dT[t, c] += 2.0 * ah * kc
        dQ_dTt[t, t] -= 2.0 * ah * kt


@jit
def kirchhoff_step(T, material, y, alpha, log_t0, inv_dlog, T_nodes, THETA, K, T_new):
    """T_new = Θ⁻¹(Θ(T) + alpha·y) cell by cell (a Newton step taken in Kirchhoff variables).

    Parameters
    ----------
    T : ndarray, shape (n,) — K.
    y : ndarray, shape (n,) — Newton direction in Θ, W/m.
    alpha : float — step length.
    T_new : ndarray, shape (n,) — output, K.

    Returns
    -------
    int — number of cells whose new Θ falls outside the property table (T_new is NaN there).
    """
    outside = 0
    for c in range(T.shape[0]):
        m = material[c]
        u = integral(log_t0, inv_dlog, T_nodes, THETA, K, m, T[c]) + alpha * y[c]
        T_new[c] = integral_inverse(T_nodes, THETA, K, m, u)
        if math.isnan(T_new[c]):
            outside += 1
    return outside


@jit
def has_interfaces(indptr, indices, material):
    """True if any two face neighbours are of different materials."""
    for c in range(indptr.shape[0] - 1):
        for p in range(indptr[c], indptr[c + 1]):
            if material[indices[p]] != material[c]:
                return True
    return False
