"""Magnet panel: peak field, margins, load line, stored energy, inductance, quench and
5-gauss distances of each magnet.

Every number is a :class:`solver.magnet.MagnetSummary` (or, for a magnet with iron, a
:class:`solver.magnet.fem.IronMagnetSummary`: 5-gauss extent and harmonics; for coils in
air without margins, a :class:`solver.magnet.FringeSummary`); this module only lays them
out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.views import plots
from cryogen_widgets.views.freshness import StaleBanner
from cryogen_widgets.views.units import si

if TYPE_CHECKING:  # the magnet code loads with the first magnet result, not with the app
    from solver.magnet import FringeSummary, MagnetSummary
    from solver.magnet.fem import IronMagnet3DSummary, IronMagnetSummary

    AnySummary = MagnetSummary | FringeSummary | IronMagnetSummary | IronMagnet3DSummary | str
    """What the panel shows of one magnet (a string: why it has no summary)."""


@dataclass
class MagnetRun:
    """What the app's magnet analysis returns: the field map and each magnet's summary
    (or the reason it has none, such as a coil file without a conductor)."""

    field: object
    summaries: dict[str, AnySummary] = field(default_factory=dict)


_FIELD_FROM = {
    "FEM": "finite elements with the iron (solves at several currents)",
    "Biot-Savart": "Biot–Savart (coils in air, straight load line)",
    "": "Biot–Savart",
}


def summary_rows(s: MagnetSummary) -> list[tuple[str, str]]:
    """(quantity, value with SI prefix) rows of a magnet summary, per coil where it varies."""
    m = s.margins
    rows = []
    for i, coil in enumerate(m.coil.values):
        tag = f" ({coil})" if m.sizes["coil"] > 1 else ""
        rows += [
            (f"peak field on the conductor{tag}", si(float(m.peak_field_T[i]), "T")),
            (f"operating current{tag}", si(float(m.current_A[i]), "A")),
            (f"short-sample current{tag}", si(float(m.short_sample_current_A[i]), "A")),
            (
                f"load-line fraction I/I_ss{tag}",
                (
                    f"{100 * float(m.load_line_fraction[i]):.3g} % (current margin "
                    f"{100 * (1 - float(m.load_line_fraction[i])):.3g} %)"
                ),
            ),
            (
                f"temperature margin T_cs − T_op{tag}",
                (
                    f"{si(float(m.temperature_margin_K[i]), 'K')} "
                    f"(T_cs {si(float(m.current_sharing_temperature_K[i]), 'K')})"
                ),
            ),
        ]
    rows += [
        ("operating temperature", si(float(m.attrs["operating_temperature_K"]), "K")),
        ("peak field and load line from", _FIELD_FROM[m.attrs.get("peak_field_from", "")]),
    ]
    if s.inductance_H is not None and s.stored_energy_J is not None:
        rows += [
            ("inductance", si(s.inductance_H, "H")),
            ("stored energy", si(s.stored_energy_J, "J")),
            (
                "dump resistor",
                (
                    f"{si(s.dump_resistance_ohm, 'Ω')} (peak {si(s.peak_voltage_V, 'V')}, "
                    f"τ = L/R {si(s.tau_s, 's')})"
                ),
            ),
        ]
    rows.append(
        (
            "quench hot spot (adiabatic)",
            si(s.hot_spot_K, "K") if s.hot_spot_K is not None else f"not computed: {s.quench_note}",
        )
    )
    if s.normal_zone_velocity_m_s is not None:
        rows.append(("normal-zone velocity", si(s.normal_zone_velocity_m_s, "m/s")))
    if s.fringe is not None:
        rows += fringe_rows(s.fringe)
    return rows


def summary_html(s: MagnetSummary) -> str:
    body = "".join(
        f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in summary_rows(s)
    )
    flags = s.margins.attrs.get("flags") or []
    note = (
        "<div style='color:#b35900'>outside the critical-surface fit: "
        + escape("; ".join(flags))
        + "</div>"
        if flags
        else ""
    )
    return (
        "<table class='cryogen-magnet-summary' style='border-collapse:collapse' border='1' "
        f"cellpadding='4'>{body}</table>{note}"
    )


def _fringe_text(extent: float, level_T: float) -> str:
    if extent == 0:
        return f"nowhere (|B| < {si(level_T, 'T')})"
    if np.isinf(extent):
        return "beyond the far end of the ray (the field stays above the level)"
    return si(extent, "m")


def harmonic_units(value) -> str:
    """A harmonic in units: 3 significant digits, the main one (10 000) written out."""
    v = float(value)
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def iron_summary_rows(s: IronMagnetSummary) -> list[tuple[str, str]]:
    """(quantity, value with SI prefix) rows of a magnet with iron: the solve, the stored
    energy (or why there is none) and the 5-gauss distances."""
    per = "" if s.symmetry == "axisymmetric" else " per metre along z"
    rows = [
        (
            "solved by finite elements",
            f"{s.symmetry}, {s.unknowns} unknowns, {s.newton_steps} Newton steps",
        )
    ]
    if s.stored_energy_J is not None:
        rows.append((f"stored energy{per}", si(s.stored_energy_J, "J" if not per else "J/m")))
    elif s.energy_note:
        rows.append(("stored energy", s.energy_note))
    return rows + fringe_rows(s.fringe)


def fringe_rows(fringe) -> list[tuple[str, str]]:
    """(quantity, distance) rows of a fringe-extent dataset (``extent_m`` by ``direction``,
    attrs ``level_T``): one per direction from the origin of the rays."""
    level = float(fringe.attrs["level_T"])
    origin = [float(x) for x in fringe.attrs.get("origin_m", ())]
    start = "the origin" if not any(origin) else _vector(origin, "m")
    rows = []
    for d, extent in zip(fringe.direction.values, fringe.extent_m.values, strict=True):
        way = "radially" if str(d) == "r" else f"along {str(d).replace('-', '−')}"
        # 1 T = 1e4 gauss (CGS definition)
        name = f"{level * 1e4:.3g}-gauss ({si(level, 'T')}) line from {start}, {way}"
        rows.append((name, _fringe_text(float(extent), level)))
    return rows


def _vector(v, unit: str) -> str:
    """(x, y, z) with SI prefixes; components below 1e-9 of the largest (round-off of a
    mirror-symmetric sum) are shown as 0."""
    v = np.asarray(v, dtype=float)
    v = np.where(np.abs(v) < 1e-9 * np.max(np.abs(v), initial=0.0), 0.0, v)
    return "(" + ", ".join(si(float(c), unit) for c in v) + ")"


def iron3d_summary_rows(s: IronMagnet3DSummary) -> list[tuple[str, str]]:
    """(quantity, value with SI prefix) rows of a 3-D magnet with iron: the solve, the force
    on each coil and iron part (x, y, z), each coil's flux linkage and inductance, and the
    stored energy."""
    rows = [
        (
            "solved by finite elements",
            f"3-D, {s.unknowns} unknowns, {s.newton_steps} Newton steps",
        )
    ]
    forces = s.coil_forces
    for coil in forces.coil.values:
        rows.append(
            (f"force on coil {coil} (x, y, z)", _vector(forces.force_N.sel(coil=coil).values, "N"))
        )
    for iron_id, f in s.iron_forces.items():
        value = f if isinstance(f, str) else _vector(f, "N")
        rows.append((f"force on iron {iron_id} (x, y, z)", value))
    ds = s.inductance
    if ds is None:
        rows.append(("flux linkage and inductance", s.inductance_note))
        return rows
    for coil in ds.coil.values:
        c = ds.sel(coil=coil)
        rows.append((f"flux linkage of coil {coil}", si(float(c.flux_linkage_Wb), "Wb")))
        rows.append((f"inductance Ψ/I of coil {coil}", si(float(c.apparent_inductance_H), "H")))
    if "series_apparent_inductance_H" in ds:
        rows.append(
            ("inductance Ψ/I, coils in series", si(float(ds.series_apparent_inductance_H), "H"))
        )
    rows.append(("stored energy ∫∫H·dB dV", si(float(ds.energy_J), "J")))
    if "energy_inductance_H" in ds:
        rows.append(("inductance 2W/I², coils in series", si(float(ds.energy_inductance_H), "H")))
    return rows


def rows_html(rows: list[tuple[str, str]]) -> str:
    """A two-column summary table of (quantity, value) rows."""
    body = "".join(f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows)
    return (
        "<table class='cryogen-magnet-summary' style='border-collapse:collapse' border='1' "
        f"cellpadding='4'>{body}</table>"
    )


def iron_summary_html(s: IronMagnetSummary) -> str:
    """Table of a magnet with iron: solve, stored energy, 5-gauss distances, harmonics."""
    table = rows_html(iron_summary_rows(s))
    if s.harmonics is None:
        return table + f"<div style='color:#666'>{escape(s.harmonics_note)}</div>"
    h = s.harmonics
    head = (
        f"<div style='margin-top:8px'><b>Field harmonics</b> about the z axis at r<sub>ref</sub> = "
        f"{escape(si(s.reference_radius_m, 'm'))} (⅔ of the free aperture), "
        f"B<sub>ref</sub> = {escape(si(float(h.B_ref_T), 'T'))}; units of 10<sup>−4</sup> "
        "of B<sub>ref</sub></div>"
    )
    harmonic_rows = "".join(
        f"<tr><td>{int(n)}</td><td>{harmonic_units(b)}</td><td>{harmonic_units(a)}</td></tr>"
        for n, b, a in zip(h.n.values, h.b.values, h.a.values, strict=True)
    )
    return (
        table
        + head
        + "<table class='cryogen-harmonics' style='border-collapse:collapse' border='1' "
        "cellpadding='3'><tr><th>n</th><th>b<sub>n</sub> (normal)</th>"
        f"<th>a<sub>n</sub> (skew)</th></tr>{harmonic_rows}</table>"
    )


class MagnetPanel(w.VBox):
    """One magnet at a time (picker), its summary table and its load-line plot."""

    def __init__(self) -> None:
        self.picker = w.Dropdown(description="magnet", options=[])
        self.picker.observe(lambda _: self._draw(), "value")
        self.table = w.HTML()
        self.note = w.HTML("<i>Run <b>Magnet field</b> to see the magnet's margins and quench.</i>")
        self.figure, self.sx, self.sy = plots.figure(
            "field B", "T", "current I", "A", title="Load line", layout=plots.SIDE_BY_SIDE
        )
        # SI-prefixed current ticks ("20k", "40k"): conductors carry up to tens of kA
        self.figure.axes[1].tick_format = plots.LOG_TICK_FORMAT
        self.summaries: dict[str, AnySummary] = {}
        self.banner = StaleBanner("magnet analysis")
        super().__init__(
            [self.banner, self.note, self.picker, plots.row([self.table, self.figure])]
        )

    def clear(self) -> None:
        self.summaries = {}
        self.picker.options = []
        self.table.value = ""
        self.figure.marks = []
        self.note.value = "<i>Run <b>Magnet field</b> to see the magnet's margins and quench.</i>"

    def show(
        self,
        summaries: dict[str, AnySummary],
    ) -> None:
        self.summaries = dict(summaries)
        keep = self.picker.value if self.picker.value in self.summaries else None
        self.picker.options = list(self.summaries)
        self.picker.value = keep or next(iter(self.summaries), None)
        self.note.value = ""
        self._draw()

    def _draw(self) -> None:
        s = self.summaries.get(self.picker.value)
        if s is None:
            return
        self.figure.layout.display = None
        if isinstance(s, str):
            self.table.value = f"<span style='color:#b35900'>{escape(s)}</span>"
            self.figure.marks = []
            return
        from solver.magnet import FringeSummary
        from solver.magnet.fem import IronMagnet3DSummary, IronMagnetSummary

        if isinstance(s, FringeSummary):
            self.table.value = rows_html(fringe_rows(s.fringe)) + (
                f"<div style='color:#b35900'>{escape(s.note)}</div>"
            )
            self.figure.marks = []
            self.figure.layout.display = "none"
            return
        if isinstance(s, IronMagnet3DSummary):
            self.table.value = rows_html(iron3d_summary_rows(s)) + (
                "<div style='color:#666'>margins, load line and quench are computed for "
                "axisymmetric and planar magnets</div>"
            )
            self.figure.marks = []
            self.figure.layout.display = "none"
            return
        if isinstance(s, IronMagnetSummary):
            self.table.value = iron_summary_html(s) + (
                "<div style='margin-top:8px'><b>Conductor</b></div>" + summary_html(s.conductor)
                if s.conductor is not None
                else f"<div style='color:#666'>{escape(s.conductor_note)}</div>"
            )
            if s.conductor is None:
                self.figure.marks = []
                self.figure.layout.display = "none"
                return
            s = s.conductor
        else:
            self.table.value = summary_html(s)
        self._draw_load_lines(s)

    def _draw_load_lines(self, s: MagnetSummary) -> None:
        """Ic(B), each coil's load line (straight in air, the FEM samples with iron) and its
        operating point."""
        ic = s.ic_curve
        b = np.asarray(ic.B.values, float)
        marks = [
            bq.Lines(
                x=b,
                y=np.asarray(ic.values, float),
                scales={"x": self.sx, "y": self.sy},
                colors=["#333333"],
                labels=["critical current Ic(B)"],
                display_legend=True,
            )
        ]
        m = s.margins
        xs, ys = [b.min(), b.max()], [0.0, float(np.asarray(ic.values).max())]
        for i, coil in enumerate(m.coil.values):
            line_b = np.asarray(m.load_line_peak_field_T[i], float)
            line_i = np.asarray(m.load_line_current_A[i], float)
            colour = plots.PALETTE[i % len(plots.PALETTE)]
            marks += [
                bq.Lines(
                    x=line_b,
                    y=line_i,
                    scales={"x": self.sx, "y": self.sy},
                    colors=[colour],
                    line_style="dashed",
                    marker="circle" if len(line_b) > 2 else None,
                    marker_size=16,
                    labels=[f"load line {coil}"],
                    display_legend=True,
                ),
                bq.Scatter(
                    x=[float(m.peak_field_T[i])],
                    y=[float(m.current_A[i])],
                    scales={"x": self.sx, "y": self.sy},
                    colors=[colour],
                    default_size=80,
                    labels=[f"operating point {coil}"],
                ),
            ]
            xs.append(float(line_b.max()))
            ys.append(float(line_i.max()))
        plots.set_domain(self.sx, [0.0, max(xs)])
        # headroom above Ic(B), which is highest at the left: the legend (top right) sits
        # in it, clear of the curves at any figure width
        plots.set_domain(self.sy, [0.0, 1.3 * max(ys)])
        self.figure.marks = marks
