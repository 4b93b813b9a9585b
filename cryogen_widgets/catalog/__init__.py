"""Component catalog search and user components, through the project store (SQLAlchemy).

>>> from cryogen_widgets import catalog
>>> cat = catalog.open()                      # the signed-in user's store, built-ins synced
>>> cat.search("cryomech 420")[0].id
'cryomech-pt420'
>>> cat.search("", category="cryocooler", filters=catalog.Filters(capacity_at=(4.2, 1.0)))

The physics side (data, derived numbers, design hooks) is ``solver.catalog``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cryogen_widgets.catalog._search import Filters, Hit, search, store_user_row, sync_builtin
from cryogen_widgets.store.plans import require_feature
from solver import catalog as _solver_catalog

__all__ = ["ComponentCatalog", "Filters", "Hit", "open", "search", "sync_builtin"]


class ComponentCatalog:
    """The catalog as one user sees it: every built-in part plus their own components."""

    def __init__(self, store):
        self.store = store
        self._engine = store._ctx.engine
        self._user_id = store._ctx.user_id
        sync_builtin(self._engine)

    def search(self, text: str = "", **kwargs: Any) -> list[Hit]:
        """``search`` (see ``cryogen_widgets.catalog._search.search``) scoped to this user."""
        return search(self._engine, text, user_id=self._user_id, **kwargs)

    def add(self, data: dict[str, Any]) -> _solver_catalog.Component:
        """Validate and store a user component (own capacity map, Jc fit, strap, wiring...).

        Validation is ``solver.catalog.validate_user_component`` (errors name the
        field); a built-in id is refused; the plan must allow custom components.
        """
        comp = _solver_catalog.validate_user_component(data, owner=self.store.user)
        with Session(self._engine) as session, session.begin():
            from cryogen_widgets.store._models import User

            require_feature("custom_components", session.get(User, self._user_id).plan)
            store_user_row(session, comp, self._user_id)
        return comp


def open(url: str | None = None, user: str | None = None) -> ComponentCatalog:
    """The catalog of ``user`` in the store at ``url`` (defaults as ``cryogen_widgets.store.open``)."""
    from cryogen_widgets import store

    return ComponentCatalog(store.open(url, user))
