"""Exports: results to CSV and NetCDF (xarray), grid results to VTK, the design drawing to SVG
and PNG, and the schematic sheet (title block, link key, stage budget) to SVG and PDF.

Each export writes a file into the export folder and offers it as a download link,
which works the same in JupyterLab and in Voilà.
"""

from __future__ import annotations

import base64
import json
import os
import re
from html import escape
from pathlib import Path

import ipywidgets as w
import numpy as np

from cryogen_widgets.designer.paint import design_png, design_svg
from cryogen_widgets.store import PlanLimitError
from cryogen_widgets.store.plans import BILLING_PAGE, plan_including
from cryogen_widgets.views import schematic

EXPORT_DIR = Path(os.environ.get("CRYOGEN_EXPORT_DIR", "exports"))
DOWNLOAD_LIMIT_BYTES = 2_000_000  # bigger files are only written to disk, not inlined in the page
BUTTON_STYLE = (
    "display:inline-block;padding:4px 10px;margin:2px 4px;border:1px solid #1f77b4;"
    "border-radius:3px;background:#eaf2fb;color:#114477;text-decoration:none"
)


def csv_tables(ds) -> dict[str, str]:
    """CSV text of a Dataset, one table per set of dimensions (``"node"``, ``"link"``, ``"time-node"``)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, var in ds.data_vars.items():
        if var.dims:
            groups.setdefault(tuple(var.dims), []).append(name)
    tables = {}
    for dims, names in groups.items():
        frame = ds[names].to_dataframe()
        frame.columns = [
            f"{n} [{ds[n].attrs['units']}]" if "units" in ds[n].attrs else n for n in frame.columns
        ]
        tables["-".join(dims)] = frame.to_csv()
    return tables


def netcdf_ready(ds):
    """A copy whose attributes NetCDF can store (bools as 0/1, dicts/lists as JSON, None dropped)."""
    out = ds.copy()

    def clean(attrs: dict) -> dict:
        fixed = {}
        for k, v in attrs.items():
            if v is None:
                continue
            if isinstance(v, bool | np.bool_):
                fixed[k] = int(v)
            elif isinstance(v, dict | list | tuple):
                fixed[k] = json.dumps(v, default=str)
            else:
                fixed[k] = v
        return fixed

    out.attrs = clean(out.attrs)
    for name in list(out.variables):
        out[name].attrs = clean(out[name].attrs)
    return out


def write_netcdf(ds, path: Path) -> Path:
    netcdf_ready(ds).to_netcdf(path, engine="h5netcdf")
    return path


def write_csv(ds, stem: Path) -> list[Path]:
    paths = []
    for key, text in csv_tables(ds).items():
        path = stem.with_name(f"{stem.name}_{key}.csv")
        path.write_text(text)
        paths.append(path)
    return paths


def download_link(path: Path, mime: str) -> str:
    data = path.read_bytes()
    if len(data) > DOWNLOAD_LIMIT_BYTES:
        return f"{escape(str(path))} ({len(data) / 1e6:.1f} MB, written on the server)"
    b64 = base64.b64encode(data).decode()
    return (
        f"<a download='{escape(path.name)}' href='data:{mime};base64,{b64}' "
        f"class='cryogen-download' style='{BUTTON_STYLE}'>⬇ {escape(path.name)}</a>"
    )


GATED_EXPORTS = {"Field VTK": "vtk_export"}
"""Export buttons that need a plan feature (DESIGN.md, Plans); the store checks the plan."""


def plan_message_html(message: str) -> str:
    """A plan refusal as HTML, its billing page a link the user can follow to upgrade."""
    text = escape(message)
    return text.replace(
        escape(BILLING_PAGE), f'<a href="{BILLING_PAGE}" target="_blank">{BILLING_PAGE}</a>'
    )


class ExportPanel(w.VBox):
    """Buttons for each export of the app's current design and last results.

    Exports the signed-in user's plan does not include (``GATED_EXPORTS``) are labelled
    with the plan that does, and refused with an upgrade link."""

    def __init__(self, app, folder: Path = EXPORT_DIR) -> None:
        self.app = app
        self.folder = Path(folder)
        self.links = w.HTML()
        self.buttons = {}
        actions = {
            "Design SVG": self.design_svg,
            "Design PNG": self.design_png,
            "Design JSON": self.design_json,
            "Schematic SVG": self.schematic_svg,
            "Schematic PDF": self.schematic_pdf,
            "Results CSV": self.results_csv,
            "Results NetCDF": self.results_netcdf,
            "Field VTK": self.field_vtk,
        }
        for label, action in actions.items():
            b = w.Button(description=label, icon="download", layout=w.Layout(width="auto"))
            b.on_click(lambda _, action=action, label=label: self._run(label, action))
            self.buttons[label] = b
        self.paper = w.ToggleButtons(
            options=list(schematic.PAPER_MM),
            value="A3",
            description="schematic sheet",
            tooltip="paper of the schematic drawing (landscape)",
            style={"description_width": "110px", "button_width": "48px"},
        )
        self.message = w.HTML()
        super().__init__(
            [
                w.HBox(list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap")),
                self.paper,
                self.message,
                self.links,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        self._label_gated()
        has = bool(self.app.last)
        self.buttons["Results CSV"].disabled = not has
        self.buttons["Results NetCDF"].disabled = not has
        self.buttons["Field VTK"].disabled = self._vtk_source() is None

    def _stem(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = (
            re.sub(r"[^\w.-]+", "_", self.app.model.design.get("name") or "design").strip("_")
            or "design"
        )
        return self.folder / name

    def _file(self, suffix: str) -> Path:
        """The export file of the design with ``suffix`` appended (the name may hold dots:
        "4.2 K NbTi" stays whole, where ``with_suffix`` would cut it to "4")."""
        stem = self._stem()
        return stem.with_name(stem.name + suffix)

    def _label_gated(self) -> None:
        """Name the plan on each gated button the user's plan does not include (checked once
        the store is open; the app opens it with the first project or run)."""
        store = self.app.projects.opened_store
        if store is None:
            return
        plan = store.plan
        for label, feature in GATED_EXPORTS.items():
            needed = plan_including(feature, plan)
            if needed is not None:
                self.buttons[label].description = f"{label} ({needed})"
                self.buttons[label].tooltip = f"{feature.replace('_', ' ')}: {needed} plan"

    def _run(self, label: str, action) -> None:
        try:
            if label in GATED_EXPORTS:
                self.app.projects.store.require_feature(GATED_EXPORTS[label])
            written = action()
        except PlanLimitError as exc:
            self.message.value = f"<span style='color:#d62728'>{plan_message_html(str(exc))}</span>"
            self._label_gated()
            return
        except (ValueError, OSError) as exc:
            self.message.value = (
                f"<span style='color:#d62728'>{escape(label)}: {escape(str(exc))}</span>"
            )
            return
        self.message.value = (
            f"{escape(label)}: wrote {', '.join(escape(str(p)) for p, _ in written)}"
        )
        self.links.value = " ".join(download_link(p, mime) for p, mime in written)

    def design_svg(self):
        path = self._file(".svg")
        path.write_text(design_svg(self.app.model, self.app.designer.results))
        return [(path, "image/svg+xml")]

    def design_png(self):
        path = self._file(".png")
        path.write_bytes(design_png(self.app.model, self.app.designer.results))
        return [(path, "image/png")]

    def design_json(self):
        path = self._file(".cryo.json")
        path.write_text(json.dumps(self.app.model.to_dict(), indent=2))
        return [(path, "application/json")]

    def _schematic(self, suffix: str):
        path = self._file(f"_schematic_{self.paper.value}{suffix}")
        steady = self.app.current_result("Steady state")
        reason = ""
        if steady is None and "Steady state" in self.app.last:
            reason = "the design changed after the last steady state: run it again"
        schematic.write_schematic(
            path,
            self.app.model.to_dict(),
            steady,
            paper=self.paper.value,
            version=self.app.projects.version_label(),
            not_solved_reason=reason,
        )
        return path

    def schematic_svg(self):
        return [(self._schematic(".svg"), "image/svg+xml")]

    def schematic_pdf(self):
        return [(self._schematic(".pdf"), "application/pdf")]

    def _results(self):
        if not self.app.last:
            raise ValueError("run an analysis first")
        return self.app.last.items()

    def results_csv(self):
        out = []
        for label, ds in self._results():
            stem = self._stem().with_name(f"{self._stem().name}_{label.replace(' ', '_').lower()}")
            out += [(p, "text/csv") for p in write_csv(ds, stem)]
        return out

    def results_netcdf(self):
        out = []
        for label, ds in self._results():
            path = self._stem().with_name(
                f"{self._stem().name}_{label.replace(' ', '_').lower()}.nc"
            )
            out.append((write_netcdf(ds, path), "application/x-netcdf"))
        return out

    def _vtk_source(self):
        ds = self.app.field_slice.ds
        return ds if ds is not None and "T" in ds and "material" in ds else None

    def field_vtk(self):
        from solver.thermal.grid import to_vtk

        ds = self._vtk_source()
        if ds is None:
            raise ValueError(
                "VTK export writes grid-solver temperature results; show one in the Fields tab first"
            )
        path = self._file(".vtk")
        to_vtk(ds, path)
        return [(path, "application/octet-stream")]
