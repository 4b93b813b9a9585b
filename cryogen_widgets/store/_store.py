"""``open()``: the store of the signed-in user, with every API scoped to them.

Two backends with the same functions, chosen by configuration:

- in-process (``make run``, one user, a script): the store opens the database itself
  (``CRYOGEN_DB_URL`` or the SQLite file under ``~/.cryogen``);
- the store service (a hub): ``CRYOGEN_STORE_URL`` is set in the kernel, which then
  holds no database URL and reaches the store over HTTP with its own hub token
  (``JUPYTERHUB_API_TOKEN``); the service applies tenancy and plans on the server.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._engine import engine_for
from cryogen_widgets.store._organizations import Organizations
from cryogen_widgets.store._projects import Projects
from cryogen_widgets.store._results import Results, ResultStorage
from cryogen_widgets.store._simulations import Simulations
from cryogen_widgets.store._usage import Usage
from cryogen_widgets.store.accounts import ensure_user_id
from cryogen_widgets.store.components import Components
from cryogen_widgets.store.plans import Plan, load_plans, require_feature


class Store:
    """One user's view of the database: ``projects``, ``simulations``, ``results``,
    ``components``, ``organizations`` and ``usage``. Create it with :func:`open`."""

    def __init__(
        self,
        ctx: UserContext,
        *,
        results: ResultStorage | None = None,
        sync_catalog: bool = True,
    ):
        self._ctx = ctx
        # A deleted project's results go too; the results' storage opens at first use.
        self.projects = Projects(ctx, lambda keys: self.results.remove(keys))
        self.usage = Usage(ctx)
        self.simulations = Simulations(ctx, self.projects, self.usage)
        self.results = Results(ctx, self.simulations, results)
        self.components = Components(ctx, sync=sync_catalog)
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
        with self._ctx.transaction() as session:
            return load_plans().get(self._ctx.plan_name(session))

    def require_feature(self, feature: str) -> None:
        """PlanLimitError naming the plan that includes ``feature`` (e.g. ``"vtk_export"``)
        when your stored plan does not."""
        require_feature(feature, self.plan)

    def __repr__(self) -> str:
        return f"<cryogen store of {self.user!r} at {self.url}>"


def local_store(url: str | None, name: str) -> Store:
    """The in-process store of user ``name`` on the database at ``url`` (created at first use).

    Results go to ``CRYOGEN_RESULTS_URL``, else beside a SQLite file (``<file>-results/``),
    else to ``~/.cryogen/results``.
    """
    engine = engine_for(url)
    with Session(engine) as session, session.begin():
        user_id = ensure_user_id(session, name)
    results = None
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and not os.environ.get("CRYOGEN_RESULTS_URL"):
        results = ResultStorage(f"{database}-results", {})
    return Store(UserContext(engine, user_id, name), results=results)


def open(url: str | None = None, user: str | None = None, *, token: str | None = None):
    """Open the project store of the signed-in user.

    Parameters
    ----------
    url : str, optional
        A database URL (SQLAlchemy: ``sqlite:///...``, ``postgresql://...``) for the
        in-process store, or the ``http(s)://`` address of the store service. Default:
        ``CRYOGEN_STORE_URL`` (set by the hub in every kernel), else ``CRYOGEN_DB_URL``,
        else the SQLite file ``~/.cryogen/cryogen.sqlite``.
    user : str, optional
        In-process only. Default: ``JUPYTERHUB_USER``, else the login name. The user
        is created on the default plan at first use. (Behind the service the user is
        the owner of the token.)
    token : str, optional
        Service only: the hub API token. Default ``JUPYTERHUB_API_TOKEN``.
    """
    url = url or os.environ.get("CRYOGEN_STORE_URL") or None
    if url is not None and url.startswith(("http://", "https://")):
        from cryogen_widgets.store._client import RemoteStore

        return RemoteStore(url, token or os.environ.get("JUPYTERHUB_API_TOKEN"))
    name = user or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    return local_store(url, name)
