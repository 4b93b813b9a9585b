"""The CryoGen application: designer, run toolbar, results, plots, field views, 3-D view, gallery.

``CryoGen()`` is one ipywidgets tree that runs the same in JupyterLab and as the
Voilà dashboard (``notebooks/CryoGen.ipynb``, opened by ``make run``). It edits
design dicts and renders solver Datasets; every number comes from ``solver``.

Every result on screen belongs to one design: opening another design clears them,
and an edit that changes the physics marks each of them "out of date — run again"
until the next run (see :mod:`cryogen_widgets.views.freshness`).
"""

from __future__ import annotations

import os
import threading

import ipywidgets as w

from cryogen_widgets.designer import Designer, DesignerModel, Results
from cryogen_widgets.designer.forms import parse_number
from cryogen_widgets.runs import run_analysis
from cryogen_widgets.views import exports
from cryogen_widgets.views.field_slice import FieldSlice
from cryogen_widgets.views.flow_plots import FlowView
from cryogen_widgets.views.freshness import OUT_OF_DATE, fingerprint
from cryogen_widgets.views.gallery import Gallery, template_designs
from cryogen_widgets.views.magnet import MagnetPanel
from cryogen_widgets.views.plots import ShownWhenVisible
from cryogen_widgets.views.projects import ProjectBar
from cryogen_widgets.views.results import CooldownPlot, LoadMapPlot, MaterialCurves, StageLoads
from cryogen_widgets.views.runner import RunPanel
from cryogen_widgets.views.scene3d import Scene3D
from cryogen_widgets.views.wiring_budget import WiringBudget, budget_of
from solver.errors import CryoGenError, DesignError

TABS = ("Designer", "Results", "Plots", "Flow", "Fields", "Magnet", "3-D", "Templates", "Export")
ANALYSES = {"Steady state": "steady", "Cooldown": "cooldown", "Magnet field": "field"}
"""The app's run buttons and the analysis each one runs (through ``cryogen_widgets.runs``)."""


def cooldown_target_K(text: str) -> float | None:
    """The cooldown target field: empty for "to steady state", else a temperature > 0 in K."""
    try:
        value = parse_number(text, "cooldown target")
    except ValueError as exc:
        raise DesignError(
            f"{exc}: give a temperature in kelvin, e.g. 4.2, or leave it empty to run to "
            "steady state"
        ) from None
    if value is not None and not value > 0:
        raise DesignError(f"cooldown target: {value:g} K is not above absolute zero")
    return value


class CryoGen(w.VBox):
    """The whole application.

    Parameters
    ----------
    design : dict, optional
        A ``cryogen/design@1`` dict to open (an empty design by default).
    store : object, optional
        A project store (``cryogen_widgets.store.open()``); opened on first use when omitted.
    """

    def __init__(self, design: dict | None = None, store=None) -> None:
        self.model = DesignerModel(design)
        self.designer = Designer(self.model, catalog_search=self._catalog_search)
        self._catalog = None
        self.last: dict[str, object] = {}
        self.stage_loads = StageLoads()
        self.cooldown_plot = CooldownPlot()
        self.load_map = LoadMapPlot()
        self.materials = MaterialCurves()
        self.wiring = WiringBudget()
        self.field_slice = FieldSlice()
        self.magnet_panel = MagnetPanel()
        self.flow_view = FlowView()
        self.scene3d = Scene3D()
        self.projects = ProjectBar(self.model, store=store)
        self.projects.on_open = self.open_design
        self.gallery = Gallery(template_designs(), on_open=self.open_template, lazy=True)
        self.exporter = exports.ExportPanel(self)
        self.cooldown_target = w.Text(
            value="",
            placeholder="steady state",
            description="cooldown target [K]",
            style={"description_width": "130px"},
            layout=w.Layout(width="230px"),
            tooltip="leave empty to run until every stage is within 1 mK of steady state",
        )
        self.cooldown_node = w.Dropdown(
            description="at", style={"description_width": "20px"}, layout=w.Layout(width="215px")
        )
        self.runs = RunPanel(
            {label: self._analysis(label) for label in ANALYSES},
            get_design=self._design_for_run,
            on_result=self._on_result,
            extra=[self.cooldown_target, self.cooldown_node],
        )
        self.plots = w.Tab(
            children=[
                ShownWhenVisible([self.cooldown_plot]),
                ShownWhenVisible([self.load_map]),
                ShownWhenVisible([self.materials], when_shown=self.materials.fill),
                ShownWhenVisible([self.wiring]),
            ],
            titles=["Cooldown", "Load map", "Materials", "Wiring"],
        )
        self.plots.observe(lambda _: self._show_plot_tab(), "selected_index")
        self.magnet_tab = ShownWhenVisible([self.magnet_panel])
        self.flow_tab = ShownWhenVisible([self.flow_view])
        self.tabs = w.Tab(
            children=[
                self.designer,
                self.stage_loads,
                self.plots,
                self.flow_tab,
                self.field_slice,
                self.magnet_tab,
                self.scene3d,
                self.gallery,
                self.exporter,
            ],
            titles=list(TABS),
        )
        self.tabs.observe(self._on_tab, "selected_index")
        # which design each shown result was computed from (see views.freshness)
        self._generation = 0  # bumped when another design is opened
        self._fingerprint = fingerprint(self.model.design)
        self._result_prints: dict[str, str] = {}
        self._run_started: tuple[int, str] | None = None
        self.model.subscribe(self._on_model_change)
        super().__init__([self.projects, self.runs, self.tabs])
        self.add_class("cryogen-app")
        self._lock = threading.Lock()
        self._refresh_nodes()
        if store is not None or os.environ.get("CRYOGEN_DB_URL"):
            self.projects.refresh()  # the project list is filled when the page opens

    # ------------------------------------------------------------------ opening designs
    def open_design(self, design: dict) -> None:
        """Show ``design`` in the designer and clear every result of the previous design."""
        self._generation += 1
        self.designer.load(design)
        self.last.clear()
        self._result_prints.clear()
        self._fingerprint = fingerprint(self.model.design)
        self.designer.show_results(None)
        self.designer.set_stale(False)
        self.stage_loads.clear()
        self.cooldown_plot.clear()
        self.wiring.clear()
        self.field_slice.clear()
        self.magnet_panel.clear()
        self.flow_view.clear()
        self.load_map.show(self.model.to_dict())
        self._show_3d()
        self.runs.reset(f"opened {self.model.design.get('name', '')}: ready to run")
        self._refresh_nodes()
        self._mark_stale()
        self.exporter.refresh()
        self.tabs.selected_index = TABS.index("Designer")

    def open_template(self, name: str, design: dict) -> None:
        """Gallery click: create a project from the template in the store and open it."""
        self.projects.create_from(name, design)
        self.open_design(design)

    def _catalog_search(self, text: str) -> list:
        """Catalog parts matching ``text`` for the palette (through the project store)."""
        if self._catalog is None:
            from cryogen_widgets.catalog import ComponentCatalog

            self._catalog = ComponentCatalog(self.projects.store)
        return self._catalog.search(text)

    def show_field(self, ds, var: str | None = None) -> None:
        """Show a field Dataset on (x, y, z) in the Fields tab (a grid-solver body's ``T``, a map's ``B``)."""
        self.field_slice.show(ds, var)
        self.last["Field"] = ds
        self._show_3d()
        self.exporter.refresh()
        self.tabs.selected_index = TABS.index("Fields")

    def _on_tab(self, change) -> None:
        name = TABS[change["new"]]
        if name == "Plots":
            self._show_plot_tab()
        elif name == "Magnet":
            self.magnet_tab.visible()
        elif name == "Flow":
            self.flow_tab.visible()
        elif name == "Templates":
            self.gallery.show()
        elif name == "3-D":
            self._show_3d()

    def _show_3d(self) -> None:
        """Rebuild the 3-D view from the design and its last results when its tab is open;
        otherwise opening the tab does it (a 500-stage design is a second of three.js widgets
        that would hold up the first click after opening it)."""
        if self.tabs.selected_index == TABS.index("3-D"):
            self.scene3d.show_design(
                self.model.to_dict(),
                self.last.get("Steady state"),
                self.last.get("Magnet field", self.last.get("Field")),
            )

    def _show_plot_tab(self) -> None:
        self.plots.children[self.plots.selected_index or 0].visible()

    # ------------------------------------------------------------------ freshness
    def _on_model_change(self, change) -> None:
        self.projects.schedule_autosave()
        if change.layout_only:
            return
        self._fingerprint = fingerprint(self.model.design)
        self._refresh_nodes()
        self._mark_stale()

    def current_result(self, label: str):
        """The last ``label`` result ("Steady state", ...) if it belongs to the design as it
        is now, else None (none yet, or out of date after an edit)."""
        if label not in self.last or label not in self._result_prints:
            return None
        return None if self._stale(label) else self.last[label]

    def _stale(self, label: str) -> bool:
        shown = self._result_prints.get(label)
        return shown is not None and shown != self._fingerprint

    def _mark_stale(self) -> None:
        steady = self._stale("Steady state")
        field = self._stale("Magnet field")
        self.designer.set_stale(steady)
        self.stage_loads.banner.set_stale(steady)
        self.load_map.banner.set_stale(steady)
        self.flow_view.banner.set_stale(steady)
        self.wiring.banner.set_stale(steady)
        self.cooldown_plot.banner.set_stale(self._stale("Cooldown"))
        self.field_slice.banner.set_stale(field)
        self.magnet_panel.banner.set_stale(field)
        self.scene3d.banner.set_stale(steady or field)
        status = self.runs.status.value
        marked = OUT_OF_DATE in status
        if (steady or field or self._stale("Cooldown")) and not marked:
            self.runs.status.value = (
                f"{status} <span class='cryogen-stale' style='color:#b35900'>· results "
                f"{OUT_OF_DATE}</span>"
            )

    def _refresh_nodes(self) -> None:
        nodes = [c["id"] for c in self.model.components if c.get("type") in ("boundary", "stage")]
        options = (("coldest cooled stage", ""), *[(n, n) for n in nodes])
        if options == tuple(self.cooldown_node.options):
            return  # most edits leave the nodes as they are: nothing to send
        keep = self.cooldown_node.value if self.cooldown_node.value in nodes else ""
        self.cooldown_node.options = options
        self.cooldown_node.value = keep

    # ------------------------------------------------------------------ analyses (solver calls)
    def _analysis(self, label: str):
        def run(design, progress, should_stop):
            settings = {}
            if label == "Cooldown":
                settings = {
                    "target_K": cooldown_target_K(self.cooldown_target.value),
                    "node": self.cooldown_node.value or None,
                }
            return run_analysis(
                self.projects.store,
                design,
                ANALYSES[label],
                project_id=self.projects.project_id,
                progress=progress,
                should_stop=should_stop,
                **settings,
            )

        return run

    def _design_for_run(self) -> dict:
        self._run_started = (self._generation, self._fingerprint)
        return self.model.to_dict()

    def _on_result(self, label: str, result, seconds: float) -> None:
        with self._lock:
            generation, print_ = self._run_started or (self._generation, self._fingerprint)
            if generation != self._generation:
                raise CryoGenError(
                    f"{label} of the previous design finished after another design was opened; "
                    "its result was dropped"
                )
            self._result_prints[label] = print_
            design = self.model.to_dict()
            if label == "Steady state":
                self.last[label] = result
                self.designer.show_results(Results.from_dataset(result))
                self.stage_loads.show(result)
                self.flow_view.show(result)
                self.load_map.show(design, result)
                self.wiring.show(budget_of(design, result))
                self._show_3d()
            elif label == "Cooldown":
                self.last[label] = result
                self.cooldown_plot.show(result)
                self.plots.selected_index = 0
            elif label == "Magnet field":
                self.last[label] = result.field
                plane = result.field.attrs.get("flux_plane", "xz")  # iron: its symmetry plane
                self.field_slice.show(result.field, "B", plane=plane)
                self.magnet_panel.show(result.summaries)
                self._show_3d()
            self._mark_stale()
            self.exporter.refresh()
