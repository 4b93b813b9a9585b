"""The CryoGen application: designer, run toolbar, results, plots, field views, 3-D view, gallery.

``CryoGen()`` is one ipywidgets tree that runs the same in JupyterLab and as the
Voilà dashboard (``notebooks/CryoGen.ipynb``, opened by ``make run``). It edits
design dicts and renders solver Datasets; every number comes from ``solver``.
"""

from __future__ import annotations

import threading

import ipywidgets as w

from cryogen_widgets.designer import Designer, DesignerModel, Results
from cryogen_widgets.runs import run_analysis
from cryogen_widgets.views import exports
from cryogen_widgets.views.field_slice import FieldSlice
from cryogen_widgets.views.gallery import Gallery, template_designs
from cryogen_widgets.views.projects import ProjectBar
from cryogen_widgets.views.results import CooldownPlot, LoadMapPlot, MaterialCurves, StageLoads
from cryogen_widgets.views.runner import RunPanel
from cryogen_widgets.views.scene3d import Scene3D

TABS = ("Designer", "Results", "Plots", "Fields", "3-D", "Templates", "Export")


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
        self.field_slice = FieldSlice()
        self.scene3d = Scene3D()
        self.projects = ProjectBar(self.model, store=store)
        self.projects.on_open = self.open_design
        self.gallery = Gallery(template_designs(), on_open=self.open_template)
        self.exporter = exports.ExportPanel(self)
        self.runs = RunPanel(
            {
                "Steady state": self._steady,
                "Cooldown": self._cooldown,
                "Magnet field": self._magnet,
            },
            get_design=self.model.to_dict,
            on_result=self._on_result,
        )
        self.plots = w.Tab(
            children=[self.cooldown_plot, self.load_map, self.materials],
            titles=["Cooldown", "Load map", "Materials"],
        )
        self.tabs = w.Tab(
            children=[
                self.designer,
                self.stage_loads,
                self.plots,
                self.field_slice,
                self.scene3d,
                self.gallery,
                self.exporter,
            ],
            titles=list(TABS),
        )
        self.tabs.observe(self._on_tab, "selected_index")
        self.model.subscribe(lambda change: self.projects.schedule_autosave())
        title = w.HTML("<h3 style='margin:4px 0'>CryoGen</h3>")
        super().__init__(
            [
                w.HBox([title, self.projects], layout=w.Layout(align_items="center")),
                self.runs,
                self.tabs,
            ]
        )
        self._lock = threading.Lock()
        self.scene3d.show_design(self.model.to_dict())

    # ------------------------------------------------------------------ opening designs
    def open_design(self, design: dict) -> None:
        """Show ``design`` in the designer and clear results from the previous design."""
        self.designer.load(design)
        self.last.clear()
        self.scene3d.show_design(self.model.to_dict())
        self.load_map.show(self.model.to_dict())
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
        self.scene3d.show_design(self.model.to_dict(), self.last.get("Steady state"), ds)
        self.exporter.refresh()
        self.tabs.selected_index = TABS.index("Fields")

    def _on_tab(self, change) -> None:
        if TABS[change["new"]] == "3-D":
            self.scene3d.show_design(
                self.model.to_dict(),
                self.last.get("Steady state"),
                self.last.get("Magnet field", self.last.get("Field")),
            )

    # ------------------------------------------------------------------ analyses (solver calls)
    # through the store's plan check (on a hub: the store service), in the kernel or on Dask
    def _run(self, analysis: str, design, progress, should_stop):
        return run_analysis(
            self.projects.store,
            design,
            analysis,
            project_id=self.projects.project_id,
            progress=progress,
            should_stop=should_stop,
        )

    def _steady(self, design, progress, should_stop):
        return self._run("steady", design, progress, should_stop)

    def _cooldown(self, design, progress, should_stop):
        return self._run("cooldown", design, progress, should_stop)

    def _magnet(self, design, progress, should_stop):
        return self._run("field", design, progress, should_stop)

    def _on_result(self, label: str, ds, seconds: float) -> None:
        with self._lock:
            self.last[label] = ds
            design = self.model.to_dict()
            if label == "Steady state":
                self.designer.show_results(Results.from_dataset(ds))
                self.stage_loads.show(ds)
                self.load_map.show(design, ds)
                self.scene3d.show_design(design, ds, self.last.get("Magnet field"))
            elif label == "Cooldown":
                self.cooldown_plot.show(ds)
                self.plots.selected_index = 0
            elif label == "Magnet field":
                self.field_slice.show(ds, "B")
                self.scene3d.show_design(design, self.last.get("Steady state"), ds)
            self.exporter.refresh()
