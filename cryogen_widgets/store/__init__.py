"""CryoGen project store: projects with history, simulations, components, usage and plans.

``open(url=None, user=None)`` returns the signed-in user's :class:`Store`.
SQLAlchemy 2 + Alembic; SQLite under ``~/.cryogen`` by default, PostgreSQL by
URL. Importing this package never imports ipywidgets (the hub imports it).
"""

from cryogen_widgets.store._errors import (
    AccessDeniedError,
    NotFoundError,
    PlanLimitError,
    QuotaExceededError,
    StaleVersionError,
    StoreError,
)
from cryogen_widgets.store._projects import LoadedProject, ProjectInfo, VersionInfo
from cryogen_widgets.store._store import Store, open

__all__ = [
    "AccessDeniedError",
    "LoadedProject",
    "NotFoundError",
    "PlanLimitError",
    "ProjectInfo",
    "QuotaExceededError",
    "StaleVersionError",
    "Store",
    "StoreError",
    "VersionInfo",
    "open",
]
