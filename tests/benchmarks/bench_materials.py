"""Material-library speed: table build, property evaluation, table integrals vs scipy.quad."""

from __future__ import annotations

import time

import numpy as np
from scipy.integrate import quad

from solver import materials
from solver.kernels.property_table import table_values
from solver.materials import GRID


def _timed(func, repeat: int = 1) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - t0) / repeat


def main() -> None:
    ids = materials.ids()
    t_build = _timed(lambda: [materials.get(i).k_table for i in ids])
    print(f"k tables for {len(ids)} materials ({GRID.T.size} nodes each): {t_build * 1e3:.0f} ms")
    m = materials.get("SS304")
    _ = m.cp_table
    rng = np.random.default_rng(0)
    T1 = np.exp(rng.uniform(np.log(1.0), np.log(300.0), 100_000))
    T2 = np.exp(rng.uniform(np.log(1.0), np.log(300.0), 100_000))
    m.conductivity_integral(T1[:10], T2[:10])  # compile / load the kernel
    t_vec = _timed(lambda: m.conductivity_integral(T1, T2), 5)
    print(
        f"conductivity_integral, 1e5 pairs through the table: {t_vec * 1e3:.1f} ms ({t_vec / 1e5 * 1e9:.0f} ns/pair)"
    )
    t_k = _timed(lambda: m.k(T1), 5)
    print(f"k(T) on 1e5 temperatures (exact fit): {t_k * 1e3:.1f} ms")
    t_scalar = _timed(lambda: m.k(77.0), 2000)
    print(f"k(77 K) scalar call: {t_scalar * 1e6:.1f} us")
    tab = m.k_table
    table_values(GRID.log_t0, GRID.inv_dlog, GRID.T, tab.F, tab.f, T1[:10])  # compile / load
    t_kernel = _timed(lambda: table_values(GRID.log_t0, GRID.inv_dlog, GRID.T, tab.F, tab.f, T1), 5)
    print(f"table_value kernel, 1e5 temperatures: {t_kernel * 1e3:.2f} ms")
    model = m._model("k")
    t_quad = _timed(
        lambda: quad(lambda t: float(model.evaluate(t)), 4.0, 300.0, epsrel=1e-10)[0], 20
    )
    print(
        f"scipy.quad of the exact fit, one 4-300 K integral: {t_quad * 1e3:.2f} ms (peer reference)"
    )


if __name__ == "__main__":
    main()
