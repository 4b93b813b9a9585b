"""CryoGen project store: projects with history, simulations, results, components, usage
and plans.

``open()`` returns the signed-in user's store: in-process (SQLAlchemy 2 + Alembic;
SQLite under ``~/.cryogen`` by default, PostgreSQL by URL), or, on a hub, a client of
the store service (``CRYOGEN_STORE_URL``) with the same functions. Importing this
package never imports ipywidgets (the hub imports it).

Public modules: this package, ``accounts`` (the hub and billing), ``plans``,
``components`` (catalog search) and ``service`` (the store service).
"""

from cryogen_widgets.store._engine import database_url
from cryogen_widgets.store._errors import (
    AccessDeniedError,
    NotFoundError,
    PlanLimitError,
    QuotaExceededError,
    StaleVersionError,
    StoreError,
)
from cryogen_widgets.store._projects import LoadedProject, ProjectInfo, VersionInfo
from cryogen_widgets.store._simulations import SimulationInfo
from cryogen_widgets.store._store import Store, open

__all__ = [
    "AccessDeniedError",
    "LoadedProject",
    "NotFoundError",
    "PlanLimitError",
    "ProjectInfo",
    "QuotaExceededError",
    "SimulationInfo",
    "StaleVersionError",
    "Store",
    "StoreError",
    "VersionInfo",
    "database_url",
    "open",
]
