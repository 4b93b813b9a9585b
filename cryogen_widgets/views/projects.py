"""Project bar: save and open designs in the project store, debounced autosave after edits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape

import ipywidgets as w

from cryogen_widgets.designer.model import DesignerModel
from solver.errors import CryoGenError

AUTOSAVE_DELAY_S = 2.0


class ProjectBar(w.HBox):
    """Project name, save, open; autosaves an open project ``AUTOSAVE_DELAY_S`` after the last edit.

    Parameters
    ----------
    model : DesignerModel
        The design being edited.
    store : object, optional
        A store from ``cryogen_widgets.store.open()``; opened on first use when omitted
        (``CRYOGEN_DB_URL`` or the user's SQLite file).
    """

    def __init__(
        self, model: DesignerModel, store=None, autosave_delay_s: float = AUTOSAVE_DELAY_S
    ) -> None:
        self.model = model
        self._store = store
        self.autosave_delay_s = autosave_delay_s
        self.project_id: str | None = None
        self.version: int | None = None
        self.on_open: Callable[[dict], None] | None = None
        self._timer: threading.Timer | None = None
        self._saved_json: str | None = None
        self._lock = threading.Lock()
        self.name = w.Text(
            value=model.design.get("name", "Untitled"),
            description="project",
            layout=w.Layout(width="260px"),
            style={"description_width": "50px"},
        )
        self.save_button = w.Button(description="Save", icon="save", layout=w.Layout(width="auto"))
        self.save_button.on_click(lambda _: self.save())
        self.picker = w.Dropdown(options=[], layout=w.Layout(width="220px"))
        self.refresh_button = w.Button(
            description="↻", tooltip="refresh the project list", layout=w.Layout(width="auto")
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self.open_button = w.Button(
            description="Open", icon="folder-open", layout=w.Layout(width="auto")
        )
        self.open_button.on_click(lambda _: self.open_project(self.picker.value))
        self.status = w.HTML("<i>not saved</i>")
        super().__init__(
            [
                self.name,
                self.save_button,
                self.picker,
                self.refresh_button,
                self.open_button,
                self.status,
            ],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )

    @property
    def opened_store(self):
        """The store if it is open already, else None (never opens one)."""
        return self._store

    @property
    def store(self):
        if self._store is None:
            from cryogen_widgets import store as store_module

            self._store = store_module.open()
        return self._store

    def _report(self, text: str, ok: bool = True) -> None:
        colour = "#2ca02c" if ok else "#d62728"
        self.status.value = f"<span style='color:{colour}'>{escape(text)}</span>"

    def _design(self) -> dict:
        d = self.model.to_dict()
        d["name"] = self.name.value.strip() or "Untitled"
        return d

    def create_from(self, name: str, design: dict) -> None:
        """A new project in the store holding ``design`` (a template click).

        A second copy of the same template is numbered ("name (2)") rather than given a
        name the project list already shows.
        """
        try:
            taken = {p.name for p in self.store.projects.list()}
            base, k = name, 2
            while name in taken:
                name, k = f"{base} ({k})", k + 1
            info = self.store.projects.create(name, design)
        except CryoGenError as exc:
            self._report(f"could not create project: {exc}", ok=False)
            return
        self.project_id, self.version = info.id, info.version
        self.name.value = name
        self._saved_json = None
        self._report(f"project created (v{info.version})")
        self.refresh()

    def save(self, *, auto: bool = False) -> bool:
        """Save to the store (creating the project the first time); False with a message if refused."""
        with self._lock:
            design = self._design()
            problems = dict(self.model.problems.items())
            if problems:
                n = sum(len(v) for v in problems.values())
                self._report(
                    f"{'autosave' if auto else 'save'} waits: the design has {n} problem(s)",
                    ok=False,
                )
                return False
            key = repr(design)
            if auto and key == self._saved_json:
                return True
            try:
                if self.project_id is None:
                    info = self.store.projects.create(design["name"], design)
                else:
                    info = self.store.projects.save(self.project_id, design, self.version)
            except CryoGenError as exc:
                self._report(f"not saved: {exc}", ok=False)
                return False
            self.project_id, self.version, self._saved_json = info.id, info.version, key
            self._report(f"{'autosaved' if auto else 'saved'} v{info.version}")
            return True

    def schedule_autosave(self) -> None:
        """Save an open project after the edits pause (debounced)."""
        if self.project_id is None:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.autosave_delay_s, lambda: self.save(auto=True))
        self._timer.daemon = True
        self._timer.start()

    def flush(self) -> None:
        """Run a pending autosave now (tests, closing)."""
        if self._timer is not None and self._timer.is_alive():
            self._timer.cancel()
            self.save(auto=True)

    def version_label(self) -> str:
        """The saved version of the design on screen: "v3", "v3 + unsaved edits" or
        "not saved" (a pending autosave is written first)."""
        self.flush()
        if self.project_id is None or self.version is None:
            return "not saved"
        if self._saved_json is not None and self._saved_json != repr(self._design()):
            return f"v{self.version} + unsaved edits"
        return f"v{self.version}"

    def refresh(self) -> None:
        try:
            projects = self.store.projects.list()
        except CryoGenError as exc:
            self._report(f"store unavailable: {exc}", ok=False)
            return
        self.picker.options = [(f"{p.name} (v{p.version})", p.id) for p in projects]
        if self.project_id in {p.id for p in projects}:
            self.picker.value = self.project_id

    def open_project(self, project_id: str | None) -> None:
        if not project_id:
            return
        try:
            loaded = self.store.projects.load(project_id)
        except CryoGenError as exc:
            self._report(f"could not open: {exc}", ok=False)
            return
        self.project_id, self.version = loaded.info.id, loaded.version
        self.name.value = loaded.info.name
        self._saved_json = None
        if self.on_open is not None:
            self.on_open(loaded.design)
        self._saved_json = repr(self._design())
        if self._timer is not None:  # opening is no edit: nothing to autosave
            self._timer.cancel()
            self._timer = None
        self._report(f"opened v{loaded.version}")
