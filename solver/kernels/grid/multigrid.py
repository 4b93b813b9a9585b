"""Geometric first coarsening of a voxel grid for the multigrid preconditioner.

Cells are grouped in 2×2×2 blocks of the grid (aggregates); the coarse operator is
the Galerkin product Pᵀ·A·P with P the piecewise-constant prolongation, i.e. the
sum of A's entries over each pair of aggregates. Built in two passes with a
marker array, so no fine-sized intermediate matrix is ever formed.
"""

from __future__ import annotations

import numpy as np

from solver._numba import jit


@jit
def block_aggregates(flat, shape):
    """Aggregate number of each cell: its 2×2×2 block of the grid, numbered compactly.

    Parameters
    ----------
    flat : ndarray of int64, shape (n,) — C-order grid index of each cell.
    shape : tuple of 3 int — grid shape.

    Returns
    -------
    agg : ndarray of int32, shape (n,)
    n_agg : int
    """
    nx, ny, nz = shape
    cy, cz = (ny + 1) // 2, (nz + 1) // 2
    block_number = np.full(((nx + 1) // 2) * cy * cz, -1, dtype=np.int32)
    agg = np.empty(flat.shape[0], dtype=np.int32)
    count = 0
    for c in range(flat.shape[0]):
        f = flat[c]
        k = f % nz
        j = (f // nz) % ny
        i = f // (ny * nz)
        b = ((i // 2) * cy + j // 2) * cz + k // 2
        if block_number[b] < 0:
            block_number[b] = count
            count += 1
        agg[c] = block_number[b]
    return agg, count


@jit
def galerkin(indptr, indices, data, agg, n_agg):
    """CSR arrays (indptr, indices, data) of Pᵀ·A·P for the aggregates ``agg``.

    Parameters
    ----------
    indptr, indices, data : the fine matrix A in CSR (n rows).
    agg : ndarray of int32, shape (n,) — aggregate of each row/column.
    n_agg : int
    """
    n = agg.shape[0]
    # rows of each aggregate (counting sort)
    start = np.zeros(n_agg + 1, dtype=np.int64)
    for c in range(n):
        start[agg[c] + 1] += 1
    for a in range(n_agg):
        start[a + 1] += start[a]
    fill = start[:-1].copy()
    members = np.empty(n, dtype=np.int32)
    for c in range(n):
        members[fill[agg[c]]] = c
        fill[agg[c]] += 1
    marker = np.full(n_agg, -1, dtype=np.int64)
    c_indptr = np.zeros(n_agg + 1, dtype=np.int32)
    for a in range(n_agg):
        count = 0
        for m in range(start[a], start[a + 1]):
            i = members[m]
            for p in range(indptr[i], indptr[i + 1]):
                b = agg[indices[p]]
                if marker[b] != a:
                    marker[b] = a
                    count += 1
        c_indptr[a + 1] = c_indptr[a] + count
    c_indices = np.empty(c_indptr[n_agg], dtype=np.int32)
    c_data = np.zeros(c_indptr[n_agg])
    marker[:] = -1
    for a in range(n_agg):
        row_start = c_indptr[a]
        end = row_start
        for m in range(start[a], start[a + 1]):
            i = members[m]
            for p in range(indptr[i], indptr[i + 1]):
                b = agg[indices[p]]
                if marker[b] < row_start:
                    marker[b] = end
                    c_indices[end] = b
                    end += 1
                c_data[marker[b]] += data[p]
    return c_indptr, c_indices, c_data
