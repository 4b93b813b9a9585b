"""A new kernel made ready for its first run, and numba's cache filled at install.

``python -m cryogen_widgets.warm_up`` (run by ``make env`` and ``binder/postBuild``)
solves the two-stage template once, so the numba kernels of the steady-state path are
compiled into numba's cache (``solver/_numba.py``: ``cache=True``) and no user waits
for the compiler.

:func:`start` does the same in a daemon thread of a new kernel once the app shows:
the component catalog is built, the cached kernels are loaded, and what storing a
result needs (xarray's dask check, NetCDF writing) is imported, while the engineer
reads the first screen; the first run then costs what any later run costs.
"""

from __future__ import annotations

import contextlib
import json
import threading

from cryogen_templates import DESIGNS_DIR

TEMPLATE = DESIGNS_DIR / "two-stage-pt420.cryo.json"


def warm_up() -> None:
    """Solve the two-stage template in the kernel and write its result as NetCDF to memory,
    as a run in the app does (:func:`cryogen_widgets.runs.run_analysis`)."""
    from cryogen_widgets.views.exports import netcdf_ready
    from solver import catalog, jobs

    catalog.ids()  # the Templates tab and every wiring link need the whole catalog
    ds = jobs.solve(json.loads(TEMPLATE.read_text()), "steady", where="kernel")
    netcdf_ready(ds).to_netcdf(engine="h5netcdf")


def _quietly() -> None:
    # best effort: any error shows again, with its message, in the engineer's own first run
    with contextlib.suppress(Exception):
        warm_up()


_thread: threading.Thread | None = None


def start() -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread (once per process); returns the thread.

    The app notebook calls it when the designer canvas is first drawn in the page: started
    earlier, it would compete with the page's own start for the kernel.
    """
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_quietly, name="cryogen-warm-up", daemon=True)
        _thread.start()
    return _thread


def main() -> int:
    warm_up()
    print(f"numba kernels of the steady-state path cached ({TEMPLATE.name} solved)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
