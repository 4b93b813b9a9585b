"""The signed-in user and transactions: what every scoped API of the store shares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from cryogen_widgets.store._errors import NotFoundError
from cryogen_widgets.store._input import checked
from cryogen_widgets.store._models import User
from solver.errors import DesignError


@dataclass(frozen=True)
class UserContext:
    """The engine and the user every query of one ``Store`` is scoped to."""

    engine: Engine
    user_id: int
    user_name: str

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error.

        On PostgreSQL the transaction carries the user's id (``cryogen.user_id``), which the
        row-level security policies of the store service's role are keyed on.
        """
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            if self.engine.dialect.name == "postgresql":
                session.execute(
                    text("SELECT set_config('cryogen.user_id', :uid, true)"),
                    {"uid": str(self.user_id)},
                )
            yield session

    def plan_name(self, session: Session) -> str:
        """The plan stored for the user (billing keeps it current)."""
        return session.scalar(select(User.plan).where(User.id == self.user_id))

    def user_id_of(self, session: Session, name: str) -> int:
        """The id of user ``name``; NotFoundError naming the user when nobody has that name."""
        checked(name, "the user name", User.name)
        user_id = session.scalar(select(User.id).where(User.name == name))
        if user_id is None:
            raise NotFoundError(f"no user named {name!r}: they must sign in to CryoGen once first")
        return user_id


def plain_design(design: Any) -> dict[str, Any]:
    """A deep copy of ``design`` after checking it is a JSON object and, when the solver
    has its design loader (``solver.design.from_dict``), a valid ``cryogen/design@1`` design.

    Raises
    ------
    solver.errors.DesignError
        Not a dict, not plain JSON (NaN, sets, objects), or rejected by ``solver.design``.
    """
    if not isinstance(design, dict):
        raise DesignError(
            f"a design must be a dict (the cryogen/design@1 JSON object), got {type(design).__name__}"
        )
    try:
        text = json.dumps(design, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DesignError(f"the design is not plain JSON and cannot be stored: {exc}") from exc
    try:
        from solver import design as solver_design
    except ModuleNotFoundError as exc:
        if exc.name != "solver.design":
            raise
    else:
        solver_design.from_dict(deepcopy(design))
    return json.loads(text)
