"""matplotlib figures of the report notebooks, drawn from solver Datasets."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from cryogen_widgets.reports.sections import final, link_flows
from solver.thermal.mixture_charge import charge_summary


def plain(text: object) -> str:
    """A user string as matplotlib text: ``$`` escaped, so an id is never parsed as mathtext
    (an unbalanced ``$`` would stop the report)."""
    return str(text).replace("$", r"\$")


def heat_paths(ds: xr.Dataset) -> Figure:
    """Where the heat goes: for every node that receives heat, a bar per incoming link
    and for its own ``heat_load_W`` (W, each panel on its own scale)."""
    flows = link_flows(ds)
    own = (final(ds.stage_load) - _net_inflow(ds)).to_series()
    receivers = [
        n for n in ds.node.values if (flows["receiving node"] == n).any() or own.get(n, 0.0) > 0
    ]
    fig = Figure(figsize=(7.5, 1.2 + 0.45 * (len(flows) + len(receivers))), layout="constrained")
    heights = [
        max(1, int((flows["receiving node"] == n).sum()) + (own.get(n, 0) > 0)) for n in receivers
    ]
    axes = fig.subplots(len(receivers), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, node in zip(axes, receivers, strict=True):
        rows = flows[flows["receiving node"] == node]
        labels = [
            plain(f"{lk} ({r['type']} from {r['from'] if r['to'] == node else r['to']})")
            for lk, r in rows.iterrows()
        ]
        values = list(np.abs(rows["heat flow (W)"]))
        if own.get(node, 0.0) > 0:
            labels.append("heat_load_W on the node")
            values.append(float(own[node]))
        y = np.arange(len(values))
        ax.barh(y, values, color="#3b75af")
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        T = float(final(ds.temperature).sel(node=node))
        ax.set_title(
            f"heat into {plain(node)} ({T:.4g} K): {sum(values):.4g} W", loc="left", fontsize=10
        )
        ax.set_xlabel("heat flow (W)")
        for yi, v in zip(y, values, strict=True):
            ax.annotate(
                f"{v:.3g} W",
                (v, yi),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_xlim(0, 1.3 * max(max(values), 1e-30))  # room for the value labels
    return fig


def _net_inflow(ds: xr.Dataset) -> xr.DataArray:
    """Sum of link flows into each node (W)."""
    q = final(ds.heat_flow)
    into = xr.zeros_like(final(ds.temperature))
    for lk in ds.link.values:
        into.loc[{"node": ds.link_to.sel(link=lk).item()}] += q.sel(link=lk)
        into.loc[{"node": ds.link_from.sel(link=lk).item()}] -= q.sel(link=lk)
    return into


def cooldown_curves(ds: xr.Dataset) -> Figure:
    """Temperature of every stage against time (h), log temperature axis, with the target; with
    a dilution refrigerator's mixture charge, its condensing and circulation start times marked
    and, in a panel below on the same time axis, the fraction of the charge condensed."""
    charges = charge_summary(ds)
    fig = Figure(figsize=(7.5, 5.6 if charges else 4.2), layout="constrained")
    if charges:
        ax, ax_frac = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    else:
        ax, ax_frac = fig.subplots(), None
    hours = ds.time.values / 3600.0
    for node in ds.node.values:
        if ds.node_type.sel(node=node).item() == "stage":
            ax.plot(hours, ds.temperature.sel(node=node), label=plain(node))
    target = ds.attrs.get("target_K")
    if target is not None and np.isfinite(target):
        ax.axhline(target, color="0.4", ls="--", lw=1, label=f"target {target:g} K")
    ax.set_yscale("log")
    ax.set_ylabel("temperature (K)")
    ax.grid(True, which="both", alpha=0.3)
    for k, c in enumerate(charges):
        ink = "0.3" if len(charges) == 1 else f"C{k}"
        for key, what, style in (
            ("condensing_starts_s", "condensing starts", ":"),
            ("circulation_starts_s", "circulation starts", "-."),
        ):
            if np.isfinite(c[key]):
                for a in (ax, ax_frac):
                    a.axvline(c[key] / 3600.0, color=ink, ls=style, lw=1)
                ax.plot([], [], color=ink, ls=style, lw=1, label=plain(f"{c['fridge']} {what}"))
        ax_frac.plot(hours, c["condensed_fraction"], color=f"C{k}", label=plain(c["fridge"]))
    if ax_frac is not None:
        ax_frac.set_ylim(0.0, 1.05)
        ax_frac.set_ylabel("charge condensed")
        ax_frac.grid(True, alpha=0.3)
        ax_frac.legend(loc="lower right", fontsize=8)
    (ax_frac or ax).set_xlabel("time (h)")
    ax.legend()
    return fig


def field_map_xz(
    fmap: xr.Dataset,
    outlines: list[tuple[float, float, float, float]],
    boxes: list[tuple[float, float, float, float]] = (),
) -> Figure:
    """|B| (T) on the x–z plane of a field map nearest y = 0 (its only one, for a map of
    one plane), with the winding cross-sections and iron boxes.

    ``outlines`` are rectangles (r_in, r_out, z_lo, z_hi) in metres, drawn at ±r;
    ``boxes`` rectangles (x0, x1, z0, z1) in metres, drawn as they are.
    """
    fig = Figure(figsize=(7.0, 4.8), layout="constrained")
    ax = fig.subplots()
    y = float(fmap.y.sel(y=0.0, method="nearest"))
    plane = fmap.B.sel(y=y)
    mesh = ax.pcolormesh(
        fmap.z * 1e3, fmap.x * 1e3, plane.values, shading="auto", cmap="viridis", rasterized=True
    )
    ax.contour(fmap.z * 1e3, fmap.x * 1e3, plane.values, levels=10, colors="w", linewidths=0.5)
    fig.colorbar(mesh, ax=ax, label="|B| (T)")
    _draw_windings(ax, outlines)
    for x0, x1, z0, z1 in boxes:
        ax.add_patch(_rect(z0 * 1e3, x0 * 1e3, (z1 - z0) * 1e3, (x1 - x0) * 1e3))
    ax.set_xlabel("z (mm)")
    ax.set_ylabel("x (mm)")
    ax.set_aspect("equal")
    what = "iron" if boxes else "winding cross-sections"
    ax.set_title(f"|B| on the plane y = {y:.4g} m ({what} in red)", loc="left", fontsize=10)
    return fig


def _rect(x, y, w, h, colour="red"):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, fill=False, edgecolor=colour, lw=1.2)


def _draw_windings(ax, outlines, colour="red", r_horizontal=False) -> None:
    """Winding cross-sections (r_in, r_out, z_lo, z_hi) in metres as rectangles at ±r, in
    mm; z along the horizontal axis unless ``r_horizontal`` (a loop is drawn 0.5 mm wide)."""
    for r_in, r_out, z_lo, z_hi in outlines:
        for sign in (1, -1):
            lo, hi = sorted((sign * r_in * 1e3, sign * r_out * 1e3))
            r_side, z_side = (lo, max(hi - lo, 0.5)), (z_lo * 1e3, (z_hi - z_lo) * 1e3)
            (x, w), (y, h) = (r_side, z_side) if r_horizontal else (z_side, r_side)
            ax.add_patch(_rect(x, y, w, h, colour))


def iron_field_map(
    fmap: xr.Dataset, windings: list[tuple[float, float, float, float]] = ()
) -> Figure:
    """|B| (T) in the symmetry plane of a magnet with iron, its flux lines, the iron outlines,
    the winding cross-sections and the 5-gauss line where it falls on the map
    (``solver.magnet.fem.iron_field_map``).

    ``windings`` are rectangles (r_in, r_out, z_lo, z_hi) in metres of an axisymmetric
    magnet, drawn at ±r.
    """
    fig = Figure(figsize=(7.0, 5.2), layout="constrained")
    ax = fig.subplots()
    u_name, v_name = fmap.attrs["flux_plane"]
    axi = fmap.attrs["symmetry"] == "axisymmetric"
    pick = {"y": 0} if axi else {"z": 0}
    b = fmap.B.isel(pick).transpose(u_name, v_name).values
    psi = fmap.flux_function.isel(pick).transpose(u_name, v_name).values
    u, v = fmap[u_name].values * 1e3, fmap[v_name].values * 1e3
    mesh = ax.pcolormesh(u, v, b.T, shading="auto", cmap="viridis", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="|B| (T)")
    ax.contour(u, v, psi.T, levels=20, colors="w", linewidths=0.5, linestyles="solid")
    level = float(fmap.attrs["fringe_level_T"])
    gauss = f"{level * 1e4:.3g}-gauss line"  # 1 T = 1e4 gauss
    if b.min() < level < b.max():
        ax.contour(u, v, b.T, levels=[level], colors="orange", linewidths=1.2)
        gauss += " (orange)"
    else:
        gauss += " off the map"
    outline = fmap.iron_outline_m.values * 1e3
    ax.plot(outline[:, 0], outline[:, 1], color="red", lw=1.2)
    _draw_windings(ax, windings, "cyan", r_horizontal=True)
    ax.set_xlabel(f"{u_name} (mm)")
    ax.set_ylabel(f"{v_name} (mm)")
    ax.set_aspect("equal")
    parts = ["flux lines (white)", "iron (red)", *(["windings (cyan)"] if windings else []), gauss]
    ax.set_title(f"|B| on the {u_name}{v_name} plane: " + ", ".join(parts), loc="left", fontsize=10)
    return fig


def load_line(ic_curve: xr.DataArray, coils: xr.Dataset) -> Figure:
    """Critical current Ic(B) at the operating temperature and each coil's load line.

    ``ic_curve`` is Ic (A) on dim ``B`` (T); ``coils`` is :func:`solver.magnet.margins`.
    The load line of a coil is its ``load_line_peak_field_T`` against
    ``load_line_current_A``: straight in air, the FEM samples (marked) with iron; it meets
    Ic(B) at the short-sample current.
    """
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(
        ic_curve.B,
        ic_curve,
        color="k",
        label=f"Ic(B) at {coils.attrs['operating_temperature_K']:g} K",
    )
    for coil in coils.coil.values:
        c = coils.sel(coil=coil)
        line_b = c.load_line_peak_field_T.values
        line_i = c.load_line_current_A.values
        i_ss = float(c.short_sample_current_A)
        line = ax.plot(
            line_b,
            line_i,
            ls="--",
            marker="." if len(line_b) > 2 else None,
            label=f"{plain(coil)}: load line",
        )[0]
        ax.plot(
            float(c.peak_field_T),
            float(c.current_A),
            "o",
            color=line.get_color(),
            label=f"{plain(coil)}: operating point ({100 * float(c.load_line_fraction):.0f} % of I_ss)",
        )
        ax.plot(
            float(c.short_sample_peak_field_T),
            i_ss,
            "x",
            color=line.get_color(),
            ms=9,
            label=f"{plain(coil)}: short sample {i_ss:.4g} A",
        )
    ax.set_xlabel("peak field on the conductor (T)")
    ax.set_ylabel("current (A)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig
