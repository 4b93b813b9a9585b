"""Component search latency on SQLite with 1 000+ components (goal: p95 < 20 ms; printed, never asserted).

The built-in catalog is synced into a fresh SQLite store and padded with user
components (validated copies of straps with new ids) until the table holds more
than 1 000 rows; then a mix of typical queries (spelling variants, typos,
category and parametric filters) is timed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from cryogen_widgets import catalog
from cryogen_widgets.catalog import Filters
from cryogen_widgets.store.components import store_user_row
from solver import catalog as solver_catalog

QUERIES = [
    ("pt 420", {}),
    ("PT-420", {}),
    ("cryomech 420", {}),
    ("cryomeck 420", {}),
    ("rdk 408", {}),
    ("sumitomo", {"category": "cryocooler"}),
    ("g10 tube 25", {}),
    ("copper rod 10 mm", {"category": "strap"}),
    ("sc 086 ss", {}),
    ("nbti 0.5", {"category": "superconductor"}),
    ("", {"category": "cryocooler", "filters": Filters(capacity_at=(4.2, 1.0))}),
    ("", {"filters": Filters(ic_at=(77.0, 0.0, 100.0))}),
    ("mli 30 layers", {}),
    ("ss304 twisted pair", {"category": "wiring"}),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        t0 = time.perf_counter()
        cat = catalog.open(url, "bench")
        t_sync = time.perf_counter() - t0
        builtin = len(solver_catalog.ids())
        base = solver_catalog.components("strap")
        with Session(cat.store._ctx.engine) as session, session.begin():
            n_user = 0
            while builtin + n_user < 1100:
                src = base[n_user % len(base)]
                comp = solver_catalog.validate_user_component(
                    {
                        "id": f"user-{n_user}-{src.id}"[:120],
                        "name": f"user copy {n_user} of {src.name}",
                        "category": "strap",
                        "material": src.parameters["material"],
                        "length_m": src.parameters["length_m"],
                        "area_m2": src.parameters["area_m2"],
                    },
                    owner="bench",
                )
                store_user_row(session, comp, cat.store._ctx.user_id)
                n_user += 1
        total = builtin + n_user
        for text, kw in QUERIES:  # warm-up (compiled SQL, trigram cache)
            cat.search(text, **kw)
        times = []
        for _ in range(15):
            for text, kw in QUERIES:
                t = time.perf_counter()
                cat.search(text, **kw)
                times.append(time.perf_counter() - t)
        ms = np.array(times) * 1e3
        print(f"catalog: {builtin} built-in + {n_user} user components = {total} rows (SQLite)")
        print(f"first open (catalog load + sync): {t_sync:.2f} s")
        print(
            f"search latency over {len(ms)} queries: median {np.median(ms):.2f} ms, "
            f"p95 {np.percentile(ms, 95):.2f} ms, max {ms.max():.2f} ms (goal p95 < 20 ms)"
        )
        per_query = {
            text or str(kw): np.median(ms[i :: len(QUERIES)])
            for i, (text, kw) in enumerate(QUERIES)
        }
        slowest = sorted(per_query.items(), key=lambda kv: -kv[1])[:3]
        print("slowest queries (median ms): " + ", ".join(f"{q!r} {v:.2f}" for q, v in slowest))


if __name__ == "__main__":
    main()
