"""Errors raised by the project store; each message says what happened and what to do."""

from __future__ import annotations

from solver.errors import CryoGenError


class StoreError(CryoGenError):
    """Base class of the store's errors."""


class StoreInputError(StoreError, ValueError):
    """A value the store refuses before it reaches the database (a name with a NUL
    character or longer than its column, a database URL that cannot be used)."""

    exit_code = 2


class StoreUnavailableError(StoreError):
    """The database server cannot be reached (or the SQLite file cannot be opened)."""

    exit_code = 3


class NotFoundError(StoreError, LookupError):
    """The project (or user, organisation, simulation) does not exist or is not visible to you.

    The message is the same for both cases, so nobody learns that another
    user's private project exists.
    """


class AccessDeniedError(StoreError, PermissionError):
    """The object is visible to you but the action needs more rights (e.g. saving a shared project)."""


class StaleVersionError(StoreError):
    """A save was based on an older version than the stored one; the stored version was kept."""

    def __init__(self, project_id: str, name: str, yours: int, stored: int, saved_by: str):
        self.project_id = project_id
        self.yours = yours
        self.stored = stored
        super().__init__(
            f"project {name!r} ({project_id}) was not saved: your copy is version {yours} but the "
            f"stored project is at version {stored} (last saved by {saved_by}). The stored version "
            f"was kept unchanged. Load it again with projects.load({project_id!r}), re-apply your "
            f"changes and save with expected_version={stored}, or keep your copy as a new project "
            f"with projects.create(name, design)."
        )


class PlanLimitError(StoreError):
    """An action needs a higher plan; the message names the plan that lifts the limit."""


class QuotaExceededError(PlanLimitError):
    """This month's server simulations are used up."""
