"""The component catalog (shared parts) and your own uploaded components."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import NotFoundError, StoreError
from cryogen_widgets.store._models import Component, User
from cryogen_widgets.store.plans import require_feature


@dataclass(frozen=True)
class ComponentInfo:
    id: str
    category: str
    maker: str
    model: str
    name: str
    parameters: dict[str, Any]
    source: str
    owner: str | None


def search_text(*parts: str) -> str:
    """Lower-case text a search matches against."""
    return " ".join(p.lower() for p in parts if p)


def _info(component: Component, owner: str | None) -> ComponentInfo:
    return ComponentInfo(
        id=component.component_id,
        category=component.category,
        maker=component.maker,
        model=component.model,
        name=component.name,
        parameters=component.parameters,
        source=component.source,
        owner=owner,
    )


class Components:
    """Catalog search plus your own components (``store.components``)."""

    def __init__(self, ctx: UserContext):
        self._ctx = ctx

    def _visible(self):
        return or_(Component.owner_id.is_(None), Component.owner_id == self._ctx.user_id)

    def _query(self):
        return select(Component, User.name).outerjoin(User, User.id == Component.owner_id)

    def search(self, text: str = "", *, category: str | None = None, limit: int = 50) -> list[ComponentInfo]:
        """Catalog and own components whose id, maker, model, name or category contain every word."""
        query = self._query().where(self._visible())
        for word in text.lower().split():
            query = query.where(func.lower(Component.search_text).contains(word, autoescape=True))
        if category is not None:
            query = query.where(Component.category == category)
        with self._ctx.transaction() as session:
            rows = session.execute(query.order_by(Component.component_id).limit(limit)).all()
            return [_info(*row) for row in rows]

    def get(self, component_id: str) -> ComponentInfo:
        """A component by id; your own upload wins over a catalog part of the same id."""
        with self._ctx.transaction() as session:
            rows = session.execute(
                self._query().where(self._visible(), Component.component_id == component_id)
            ).all()
            if not rows:
                raise NotFoundError(
                    f"no component {component_id!r} in the catalog or among user "
                    f"{self._ctx.user_name!r}'s components; components.search(text) finds parts"
                )
            rows.sort(key=lambda row: row[0].owner_id is None)
            return _info(*rows[0])

    def add(
        self,
        component_id: str,
        *,
        category: str,
        maker: str,
        model: str,
        name: str,
        parameters: dict[str, Any],
        source: str,
    ) -> ComponentInfo:
        """Upload your own component (a plan with ``custom_components``). ``source`` must say
        where its numbers come from (datasheet, measurement)."""
        with self._ctx.transaction() as session:
            plan = session.get(User, self._ctx.user_id).plan
            require_feature("custom_components", plan)
            if not source.strip():
                raise StoreError(
                    f"component {component_id!r}: 'source' is empty; say where its numbers come from"
                )
            existing = session.scalar(
                select(Component).where(
                    Component.owner_id == self._ctx.user_id, Component.component_id == component_id
                )
            )
            component = existing or Component(owner_id=self._ctx.user_id, component_id=component_id)
            component.category = category
            component.maker = maker
            component.model = model
            component.name = name
            component.parameters = dict(parameters)
            component.source = source
            component.search_text = search_text(component_id, category, maker, model, name)
            session.add(component)
            session.flush()
            return _info(component, self._ctx.user_name)
