"""The Newton-step solve of large networks (issue 13 item 5): AMG-preconditioned GMRES
against SuperLU on the same Jacobian, and the choice between them."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.thermal import newton_linear


def _jacobian(n: int, links: int, seed: int = 3):
    """A network Jacobian's shape: −(graph Laplacian of conductances) − a few anchors
    to fixed nodes, with a residual and per-node Σ|Q| scale of wide dynamic range."""
    rng = np.random.default_rng(seed)
    i = np.concatenate([np.arange(1, n), rng.integers(0, n, links - n + 1)])
    j = np.concatenate([rng.integers(0, np.arange(1, n)), rng.integers(0, n, links - n + 1)])
    keep = i != j
    g = 10 ** rng.uniform(-6, -2, keep.sum())  # W/K, four decades
    L = sp.coo_matrix((g, (i[keep], j[keep])), shape=(n, n)).tocsr()
    L = L + L.T
    anchors = np.zeros(n)
    anchors[rng.integers(0, n, 20)] = 1e-3
    J = (L - sp.diags(np.asarray(L.sum(axis=1)).ravel() + anchors)).tocsr()
    scale = np.abs(J).sum(axis=1).A.ravel() * 10.0
    R = rng.normal(size=n) * scale * 1e-2
    return J, R, scale


def test_amg_gmres_step_matches_superlu_per_node():
    J, R, scale = _jacobian(3000, 12000)  # 8 neighbours per node: the Krylov path
    assert (J.nnz - 3000) / 3000 > newton_linear.DIRECT_MAX_DEGREE
    step = newton_linear.solve_step(J, R, scale)
    exact = spla.spsolve(J.tocsc(), -R)  # the peer on the same Jacobian
    # the contract of the Krylov step: each node's residual within KRYLOV_RTOL·‖b‖ of its
    # scale (a relative residual of the row-scaled system), checked node by node
    residual = np.abs(J @ step + R) / scale
    assert residual.max() <= 10 * newton_linear.KRYLOV_RTOL * np.linalg.norm(R / scale)
    assert np.max(np.abs(step - exact)) <= 1e-6 * np.max(np.abs(exact))


def test_small_and_chain_like_networks_keep_superlu(monkeypatch):
    def no_krylov(*_):
        raise AssertionError("the Krylov path was taken")

    monkeypatch.setattr(newton_linear, "_amg_gmres", no_krylov)
    for n, links in ((500, 4000), (20000, 20000)):  # small; large but a tree
        J, R, scale = _jacobian(n, links)
        step = newton_linear.solve_step(J, R, scale)
        assert np.allclose(J @ step, -R, rtol=0, atol=1e-9 * np.abs(R).max())
