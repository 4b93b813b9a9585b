"""CryoGen application: widgets, Voilà app, project store, reports, billing client.

Submodules are imported on use, so ``cryogen_widgets.cli`` and
``cryogen_widgets.store`` work without loading ipywidgets.
"""

from __future__ import annotations

import importlib

__all__ = ["CryoGen"]


def __getattr__(name: str):
    if name == "CryoGen":
        return importlib.import_module("cryogen_widgets.app").CryoGen
    raise AttributeError(name)
