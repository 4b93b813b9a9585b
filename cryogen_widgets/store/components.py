"""The component catalog in the store: search (SQL prefilter, fuzzy scoring, parametric
filters) and user components (``store.components``).

The built-in catalog (``solver.catalog``) is mirrored into the store's
``components`` table (owner NULL) the first time a database is searched;
user components live in the same table with their owner. A query narrows the
rows in SQL (category, maker, visibility, the trigram prefilter of each word)
and ranks the survivors in Python (``_text.score``), then applies parametric
filters on the parameters JSON.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from cryogen_widgets.store import _text
from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._input import checked, checked_optional
from cryogen_widgets.store._models import Component as Row
from cryogen_widgets.store.plans import require_feature
from solver import catalog
from solver.errors import DesignError

RESERVED = ("_kind", "_family", "_units", "_digest")


@functools.cache
def _categories_with(parameter: str) -> frozenset[str]:
    """Built-in categories whose entries carry ``parameter`` (narrows the SQL prefilter)."""
    return frozenset(c.category for c in catalog.components() if parameter in c.parameters)


@dataclass(frozen=True)
class Hit:
    """One search result: the component's columns, its parameters and the match score (0..1)."""

    id: str
    category: str
    kind: str
    maker: str
    model: str
    name: str
    source: str
    parameters: dict[str, Any]
    owner_id: int | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "kind": self.kind,
            "maker": self.maker,
            "model": self.model,
            "name": self.name,
            "source": self.source,
            "parameters": self.parameters,
            "owner_id": self.owner_id,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Filters:
    """Parametric filters; each None is ignored.

    capacity_at : (T_K, min_W) — a published cryocooler rating point at T_K (K) of at least min_W (W).
    ic_at : (T_K, B_T, min_A) — critical current at T_K (K) and B_T (T, 0 = self field) of at least min_A.
    temperature_K : an operating range (``operating_range_K``) that contains this temperature (K).
    """

    capacity_at: tuple[float, float] | None = None
    ic_at: tuple[float, float, float] | None = None
    temperature_K: float | None = None

    def categories(self) -> set[str] | None:
        """Categories whose entries can carry the filtered parameters (None: no narrowing)."""
        sets = []
        if self.capacity_at is not None:
            sets.append({"cryocooler"})
        if self.ic_at is not None:
            sets.append({"superconductor"})
        if self.temperature_K is not None:
            sets.append(set(_categories_with("operating_range_K")))
        return set.intersection(*sets) if sets else None

    def accept(self, p: dict[str, Any]) -> bool:
        if self.capacity_at is not None:
            T, q = self.capacity_at
            if not any(
                math.isclose(r["T_K"], T, rel_tol=1e-9) and r["Q_W"] >= q
                for r in p.get("rating_points", [])
            ):
                return False
        if self.ic_at is not None:
            T, B, i = self.ic_at
            ic = p.get("Ic_A")
            if not (
                ic
                and math.isclose(ic["T_K"], T, rel_tol=1e-9)
                and math.isclose(ic["B_T"], B, abs_tol=1e-12)
                and ic["value_A"] >= i
            ):
                return False
        if self.temperature_K is not None:
            rng = p.get("operating_range_K")
            if not (rng and rng[0] <= self.temperature_K <= rng[1]):
                return False
        return True


def _row_values(comp: catalog.Component, digest: str | None = None) -> dict[str, Any]:
    params = dict(comp.parameters)
    params.update({"_kind": comp.kind, "_family": comp.family, "_units": comp.units})
    if digest is not None:
        params["_digest"] = digest
    return {
        "component_id": comp.id,
        "category": comp.category,
        "maker": comp.maker,
        "model": comp.model,
        "name": comp.name,
        "search_text": _text.normalise(comp.search_text),
        "parameters": params,
        "source": comp.source,
    }


def _digest(comp: catalog.Component) -> str:
    blob = json.dumps(comp.to_dict(), sort_keys=True, default=str, allow_nan=True)
    return hashlib.sha1(blob.encode()).hexdigest()


def sync_builtin(engine: Engine) -> int:
    """Mirror the built-in catalog into the ``components`` table (owner NULL); returns rows written.

    Rows already up to date (same content digest) are left alone, so this is
    cheap after the first call; built-in rows no longer in the catalog are removed.
    """
    wanted = {c.id: c for c in catalog.components()}
    digests = {cid: _digest(c) for cid, c in wanted.items()}
    written = 0
    with Session(engine) as session, session.begin():
        have = {
            row.component_id: row
            for row in session.scalars(select(Row).where(Row.owner_id.is_(None)))
        }
        stale = [cid for cid in have if cid not in wanted]
        if stale:
            session.execute(delete(Row).where(Row.owner_id.is_(None), Row.component_id.in_(stale)))
        for cid, comp in wanted.items():
            row = have.get(cid)
            if row is not None and (row.parameters or {}).get("_digest") == digests[cid]:
                continue
            values = _row_values(comp, digests[cid])
            if row is None:
                session.add(Row(owner_id=None, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            written += 1
    return written


def store_user_row(session: Session, comp: catalog.Component, owner_id: int) -> None:
    """Insert or replace a validated user component (kind ``user``) owned by ``owner_id``."""
    for field in ("component_id", "maker", "model", "name", "source"):
        checked(_row_values(comp)[field], f"component {field}", getattr(Row, field))
    row = session.scalar(select(Row).where(Row.owner_id == owner_id, Row.component_id == comp.id))
    values = _row_values(comp)
    if row is None:
        session.add(Row(owner_id=owner_id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)


def search(
    bind: Engine | Connection,
    text: str = "",
    *,
    category: str | None = None,
    maker: str | None = None,
    filters: Filters | None = None,
    user_id: int | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Components matching ``text`` (typo- and spacing-tolerant), best first.

    Parameters
    ----------
    bind : sqlalchemy.Engine or Connection
        The store's database (SQLite or PostgreSQL), already synced (``sync_builtin``).
    text : str
        Free text: maker, model, name, material ("pt 410", "cryomech 420", "G10 tube").
    category : str, optional
        One of ``solver.catalog.CATEGORIES``.
    maker : str, optional
        Case-insensitive substring of the maker.
    filters : Filters, optional
        Parametric filters (capacity at a temperature, Ic at a point, operating range).
    user_id : int, optional
        Also search this user's own components (built-ins are always visible).
    limit : int
        Most results returned.
    """
    checked(text, "the search text")
    checked_optional(maker, "the maker", Row.maker)
    if category is not None and category not in catalog.CATEGORIES:
        from solver.errors import UnknownNameError

        raise UnknownNameError("category", category, catalog.CATEGORIES)
    if limit < 1:
        raise DesignError(f"limit must be at least 1, got {limit}")
    words = _text.tokens(text)
    query = select(
        Row.key,
        Row.component_id,
        Row.category,
        Row.maker,
        Row.model,
        Row.name,
        Row.search_text,
        Row.source,
        Row.owner_id,
    )
    visible = (
        Row.owner_id.is_(None)
        if user_id is None
        else or_(Row.owner_id.is_(None), Row.owner_id == user_id)
    )
    conditions = [visible]
    if category is not None:
        conditions.append(Row.category == category)
    if maker:
        conditions.append(func.lower(Row.maker).contains(maker.lower(), autoescape=True))
    filters = filters or Filters()
    narrowed = filters.categories()
    if narrowed is not None:
        conditions.append(Row.category.in_(sorted(narrowed)))
    for word in words:
        conditions.append(
            or_(*(Row.search_text.contains(f, autoescape=True) for f in _text.sql_fragments(word)))
        )
    with contextlib.ExitStack() as stack:
        conn = bind if isinstance(bind, Connection) else stack.enter_context(bind.connect())
        scored = []
        for r in conn.execute(query.where(and_(*conditions))):
            s = _text.score(words, r.search_text.split())
            if s > 0.0:
                scored.append((s, r))
        scored.sort(key=lambda sr: (-sr[0], sr[1].owner_id is not None, sr[1].component_id))
        # parameters (JSON) are read only for rows that can still be returned
        wanted = scored if narrowed is not None else scored[:limit]
        params_of: dict[int, dict[str, Any]] = {}
        keys = [r.key for _, r in wanted]
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = conn.execute(select(Row.key, Row.parameters).where(Row.key.in_(chunk)))
            params_of.update((key, value) for key, value in rows)
    hits = []
    for s, r in wanted:
        params = dict(params_of.get(r.key) or {})
        kind = params.pop("_kind", "user")
        for key in RESERVED:
            params.pop(key, None)
        if not filters.accept(params):
            continue
        hits.append(
            Hit(
                r.component_id,
                r.category,
                kind,
                r.maker,
                r.model,
                r.name,
                r.source,
                params,
                r.owner_id,
                s,
            )
        )
        if len(hits) == limit:
            break
    return hits


class Components:
    """The catalog as the signed-in user sees it (``store.components``): every built-in part
    plus their own components."""

    def __init__(self, ctx: UserContext, *, sync: bool = True):
        self._ctx = ctx
        self._synced = not sync

    def _sync(self) -> None:
        if not self._synced:
            sync_builtin(self._ctx.engine)
            self._synced = True

    def search(
        self,
        text: str = "",
        *,
        category: str | None = None,
        maker: str | None = None,
        filters: Filters | None = None,
        limit: int = 50,
    ) -> list[Hit]:
        """:func:`search` over the built-ins and your own components."""
        self._sync()
        with self._ctx.transaction() as session:
            return search(
                session.connection(),
                text,
                category=category,
                maker=maker,
                filters=filters,
                user_id=self._ctx.user_id,
                limit=limit,
            )

    def add(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validate and store a user component (own capacity map, Jc fit, strap, wiring...);
        returns the stored component as a dict.

        Validation is ``solver.catalog.validate_user_component`` (errors name the
        field); a built-in id is refused; the plan must include ``custom_components``.
        """
        comp = catalog.validate_user_component(data, owner=self._ctx.user_name)
        with self._ctx.transaction() as session:
            require_feature("custom_components", self._ctx.plan_name(session))
            store_user_row(session, comp, self._ctx.user_id)
        return comp.to_dict()
