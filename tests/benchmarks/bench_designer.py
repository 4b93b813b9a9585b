"""Designer responsiveness at 500 components, and the field slice on a 100×100×50 grid.

Prints kernel-side time per operation (building and serialising the canvas
commands; the browser's paint time is not included). No asserts on time.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import xarray as xr


def _grid_design(n_cols: int = 25, n_rows: int = 20) -> dict:
    comps = [{"id": "vessel", "type": "boundary", "temperature_K": 300.0}]
    layout = {"vessel": {"x": -200.0, "y": 0.0}}
    links = []
    for r in range(n_rows):
        for c in range(n_cols):
            sid = f"s{r}_{c}"
            if len(comps) >= 500:
                break
            comps.append({"id": sid, "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0})
            layout[sid] = {"x": 160.0 * c, "y": 100.0 * r}
            if c > 0:
                links.append(
                    {
                        "id": f"h{r}_{c}",
                        "type": "strap",
                        "from": f"s{r}_{c - 1}",
                        "to": sid,
                        "material": "OFHC-Cu-RRR100",
                        "length_m": 0.1,
                        "area_m2": 1e-5,
                    }
                )
            elif r >= 0:
                links.append(
                    {
                        "id": f"v{r}",
                        "type": "support",
                        "from": "vessel",
                        "to": sid,
                        "material": "G10-normal",
                        "length_m": 0.1,
                        "area_m2": 1e-5,
                    }
                )
    return {
        "schema": "cryogen/design@1",
        "name": "bench",
        "components": comps,
        "links": links,
        "layout": layout,
        "meta": {},
    }


def _time(fn, repeat: int = 1) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t0) / repeat


def bench_designer() -> None:
    from cryogen_widgets.designer import Designer, DesignerModel

    design = _grid_design()
    t0 = time.perf_counter()
    model = DesignerModel(design)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    ed = Designer(model, width=1200, height=800)
    t_first = time.perf_counter() - t0
    ed.scale = 0.25  # whole design in view: the worst case for a full repaint
    t_full = _time(ed.redraw, 3)
    n_c, n_l = len(model.components), len(model.links)
    print(f"design: {n_c} components, {n_l} links")
    print(f"load model (index, validation): {t_load * 1e3:8.1f} ms")
    print(f"first paint (routes every link): {t_first * 1e3:8.1f} ms")
    print(f"full repaint, routes cached:     {t_full * 1e3:8.1f} ms")

    for label, ids in (
        ("1 box", {"s10_12"}),
        ("25 boxes (one row)", {f"s10_{c}" for c in range(25)}),
    ):
        model.select(ids)
        cx, cy = ed.to_screen(*model.rect(next(iter(ids))).center)
        steps = []
        ed._on_mouse_down(cx, cy)
        for k in range(1, 41):
            t0 = time.perf_counter()
            ed._on_mouse_move(cx + k * 2.0, cy + k * 1.0)
            steps.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ed._on_mouse_up(cx + 80, cy + 40)
        t_drop = time.perf_counter() - t0
        print(
            f"drag {label:>20}: step median {statistics.median(steps) * 1e3:6.2f} ms, "
            f"max {max(steps) * 1e3:6.2f} ms; drop (snap, reroute, region repaint) {t_drop * 1e3:6.1f} ms"
        )

    masses = iter(np.linspace(1.0, 2.0, 10))
    t_edit = _time(lambda: model.set_field("s5_5", "mass_kg", float(next(masses))), 10)
    print(f"property edit (validate + region repaint): {t_edit * 1e3:6.1f} ms")
    t_undo = _time(model.undo, 5)
    print(f"undo (difference + region repaint):        {t_undo * 1e3:6.1f} ms")
    t_sel = _time(
        lambda: (
            ed._on_mouse_down(*ed.to_screen(*model.rect("s3_3").center))
            or ed._on_mouse_up(*ed.to_screen(*model.rect("s3_3").center))
        ),
        10,
    )
    print(f"click-select (region repaint):             {t_sel * 1e3:6.1f} ms")


def bench_field_slice() -> None:
    from cryogen_widgets.views.field_slice import FieldSlice

    x, y, z = np.linspace(-1, 1, 100), np.linspace(-1, 1, 100), np.linspace(0, 1, 50)
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    ds = xr.Dataset(
        {"T": (("x", "y", "z"), 4 + 10 * np.exp(-(X**2 + Y**2)) + Z, {"units": "K"})},
        coords={"x": x, "y": y, "z": z},
    )
    view = FieldSlice()
    t_show = _time(lambda: view.show(ds, "T"))

    def step():
        view.position.value = (view.position.value + 1) % 50

    t_step = _time(step, 20)
    view.plane.value = "xz"
    t_plane = _time(step, 20)
    view.contours.value = False
    t_nocontour = _time(step, 20)
    t_probe = _time(lambda: view._on_mouse_move(200, 200), 200)
    print(
        f"field slice 100x100x50: show {t_show * 1e3:.1f} ms; slider step xy {t_step * 1e3:.1f} ms, "
        f"xz {t_plane * 1e3:.1f} ms, without contours {t_nocontour * 1e3:.1f} ms; probe {t_probe * 1e3:.2f} ms"
    )


def main() -> None:
    bench_designer()
    bench_field_slice()


if __name__ == "__main__":
    main()
