"""``open()``: the store of the signed-in user, with every API scoped to them."""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._engine import engine_for
from cryogen_widgets.store._models import User
from cryogen_widgets.store._organizations import Organizations
from cryogen_widgets.store._projects import Projects
from cryogen_widgets.store._simulations import Simulations
from cryogen_widgets.store._usage import Usage
from cryogen_widgets.store.accounts import ensure_user_id
from cryogen_widgets.store.plans import Plan, load_plans


class Store:
    """One user's view of the database: ``projects``, ``simulations``, ``organizations``
    and ``usage``. Create it with :func:`open`. (Component search over the store's
    ``components`` table is ``cryogen_widgets.catalog``.)"""

    def __init__(self, ctx: UserContext):
        self._ctx = ctx
        self.projects = Projects(ctx)
        self.usage = Usage(ctx)
        self.simulations = Simulations(ctx, self.projects, self.usage)
        self.organizations = Organizations(ctx)

    @property
    def user(self) -> str:
        return self._ctx.user_name

    @property
    def url(self) -> str:
        return self._ctx.engine.url.render_as_string(hide_password=True)

    @property
    def plan(self) -> Plan:
        """Your plan as stored (billing keeps it current)."""
        with Session(self._ctx.engine) as session:
            return load_plans().get(session.get(User, self._ctx.user_id).plan)

    def __repr__(self) -> str:
        return f"<cryogen store of {self.user!r} at {self.url}>"


def open(url: str | None = None, user: str | None = None) -> Store:
    """Open the project store of ``user``.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL. Default: ``CRYOGEN_DB_URL`` (set by the hub, e.g. a
        PostgreSQL URL), else the SQLite file ``~/.cryogen/cryogen.sqlite``.
    user : str, optional
        Default: ``JUPYTERHUB_USER`` (set by the hub in every kernel), else the
        login name. The user is created on the default plan at first use.
    """
    engine = engine_for(url)
    name = user or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    with Session(engine) as session, session.begin():
        user_id = ensure_user_id(session, name)
    return Store(UserContext(engine, user_id, name))
