"""Component catalog search and user components, through the project store.

>>> from cryogen_widgets import catalog
>>> cat = catalog.open()                      # the signed-in user's store, built-ins synced
>>> cat.search("cryomech 420")[0].id
'cryomech-pt420'
>>> cat.search("", category="cryocooler", filters=catalog.Filters(capacity_at=(4.2, 1.0)))

The search itself is ``store.components`` (in-process, or behind the store service
on a hub); the physics side (data, derived numbers, design hooks) is ``solver.catalog``.
"""

from __future__ import annotations

from typing import Any

from cryogen_widgets.store.components import Filters, Hit, search, sync_builtin
from solver import catalog as _solver_catalog

__all__ = ["ComponentCatalog", "Filters", "Hit", "open", "search", "sync_builtin"]


class ComponentCatalog:
    """The catalog as one user sees it: every built-in part plus their own components."""

    def __init__(self, store):
        self.store = store

    def search(self, text: str = "", **kwargs: Any) -> list[Hit]:
        """``store.components.search`` (see ``cryogen_widgets.store.components.search``)."""
        return self.store.components.search(text, **kwargs)

    def add(self, data: dict[str, Any]) -> _solver_catalog.Component:
        """Validate and store a user component (own capacity map, Jc fit, strap, wiring...).

        Validation is ``solver.catalog.validate_user_component`` (errors name the
        field), here and again by the store; a built-in id is refused; the plan must
        allow custom components.
        """
        comp = _solver_catalog.validate_user_component(data, owner=self.store.user)
        self.store.components.add(data)
        return comp


def open(url: str | None = None, user: str | None = None) -> ComponentCatalog:
    """The catalog of ``user`` in the store at ``url`` (defaults as ``cryogen_widgets.store.open``)."""
    from cryogen_widgets import store

    return ComponentCatalog(store.open(url, user))
