"""Projects of the signed-in user: create, list, load, save with a version check,
fork, share, history and restore.

Who may do what (every query is filtered by it; there is no unscoped read):

=========================  ====================================================
read (list, load, history,  the owner; users it is shared with; members of its
fork)                       organisation; everybody when it is public
write (save, restore)       the owner and members of its organisation
share, make public, delete the owner
=========================  ====================================================

A project that exists but is not readable by you is reported exactly like one
that does not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from cryogen_widgets.store._context import UserContext, plain_design
from cryogen_widgets.store._errors import AccessDeniedError, NotFoundError, StaleVersionError
from cryogen_widgets.store._input import checked, checked_optional
from cryogen_widgets.store._models import (
    SYSTEM_TYPES,
    Membership,
    Organization,
    Project,
    ProjectShare,
    ProjectVersion,
    Simulation,
    User,
    utcnow,
)
from solver.errors import UnknownNameError


@dataclass(frozen=True)
class ProjectInfo:
    """What a project list shows: everything but the design."""

    id: str
    name: str
    owner: str
    version: int
    system_type: str
    public: bool
    organization: str | None
    forked_from: str | None
    updated_at: datetime


@dataclass(frozen=True)
class LoadedProject:
    """A project's design (a plain ``cryogen/design@1`` dict) at one version."""

    info: ProjectInfo
    version: int
    design: dict[str, Any]


@dataclass(frozen=True)
class VersionInfo:
    """One entry of a project's history."""

    version: int
    saved_at: datetime
    saved_by: str
    note: str | None


def _check_system_type(system_type: str) -> str:
    if system_type not in SYSTEM_TYPES:
        raise UnknownNameError("system type", system_type, SYSTEM_TYPES, where="project")
    return system_type


class Projects:
    """The signed-in user's view of the projects (``store.projects``)."""

    def __init__(self, ctx: UserContext, remove_results: Callable[[Sequence[str]], None]):
        self._ctx = ctx
        self._remove_results = remove_results  # deletes stored results by object key

    # -- visibility --------------------------------------------------------------------------

    def _member_of_org(self):
        return exists().where(
            Membership.org_id == Project.org_id, Membership.user_id == self._ctx.user_id
        )

    def _shared_with_me(self):
        return exists().where(
            ProjectShare.project_id == Project.id, ProjectShare.user_id == self._ctx.user_id
        )

    def _readable(self):
        return or_(
            Project.owner_id == self._ctx.user_id,
            Project.public.is_(True),
            self._shared_with_me(),
            self._member_of_org(),
        )

    def _writable(self):
        return or_(Project.owner_id == self._ctx.user_id, self._member_of_org())

    def _not_found(self, project_id: str) -> NotFoundError:
        return NotFoundError(
            f"no project {project_id!r} is visible to user {self._ctx.user_name!r}: it does not "
            f"exist, or its owner has not shared it with you. projects.list() shows yours."
        )

    def _get(self, session: Session, project_id: str, *, for_write: bool = False) -> Project:
        checked(project_id, "the project id", Project.id)
        project = session.scalar(select(Project).where(Project.id == project_id, self._readable()))
        if project is None:
            raise self._not_found(project_id)
        if for_write and not session.scalar(
            select(exists().where(Project.id == project_id, self._writable()))
        ):
            raise AccessDeniedError(
                f"project {project.name!r} ({project_id}) is shared with user "
                f"{self._ctx.user_name!r} read-only: fork it (projects.fork({project_id!r})) "
                f"to change your own copy."
            )
        return project

    def _info_query(self):
        owner = aliased(User)
        return (
            select(Project, owner.name, Organization.name)
            .join(owner, owner.id == Project.owner_id)
            .outerjoin(Organization, Organization.id == Project.org_id)
        )

    @staticmethod
    def _info(project: Project, owner: str, org: str | None) -> ProjectInfo:
        return ProjectInfo(
            id=project.id,
            name=project.name,
            owner=owner,
            version=project.version,
            system_type=project.system_type,
            public=project.public,
            organization=org,
            forked_from=project.forked_from,
            updated_at=project.updated_at,
        )

    def _info_of(self, session: Session, project_id: str) -> ProjectInfo:
        row = session.execute(
            self._info_query()
            .where(Project.id == project_id)
            .execution_options(populate_existing=True)
        ).one()
        return self._info(*row)

    # -- public API --------------------------------------------------------------------------

    def list(self, *, include_public: bool = False) -> list[ProjectInfo]:
        """Your projects, those shared with you and your organisations' projects, newest first.

        With ``include_public`` every public project is listed too.
        """
        visible = or_(
            Project.owner_id == self._ctx.user_id, self._shared_with_me(), self._member_of_org()
        )
        if include_public:
            visible = or_(visible, Project.public.is_(True))
        with self._ctx.transaction() as session:
            rows = session.execute(
                self._info_query().where(visible).order_by(Project.updated_at.desc(), Project.id)
            ).all()
            return [self._info(*row) for row in rows]

    def create(
        self,
        name: str,
        design: dict[str, Any],
        *,
        system_type: str = "general",
        organization: str | None = None,
        public: bool = False,
    ) -> ProjectInfo:
        """A new project at version 1 owned by you (and shared with ``organization``'s members)."""
        checked(name, "the project name", Project.name)
        checked_optional(organization, "the organisation name", Organization.name)
        design = plain_design(design)
        _check_system_type(system_type)
        with self._ctx.transaction() as session:
            org_id = None
            if organization is not None:
                org_id = session.scalar(
                    select(Organization.id)
                    .join(Membership, Membership.org_id == Organization.id)
                    .where(
                        Organization.name == organization,
                        Membership.user_id == self._ctx.user_id,
                    )
                )
                if org_id is None:
                    raise NotFoundError(
                        f"user {self._ctx.user_name!r} is not a member of an organisation named "
                        f"{organization!r}; store.organizations.list() shows yours."
                    )
            return self._insert(session, name, design, system_type, org_id, public, None)

    def _insert(
        self, session, name, design, system_type, org_id, public, forked_from
    ) -> ProjectInfo:
        project = Project(
            id=uuid.uuid4().hex,
            name=name,
            owner_id=self._ctx.user_id,
            org_id=org_id,
            system_type=system_type,
            public=public,
            forked_from=forked_from,
            version=1,
            design=design,
            updated_by_id=self._ctx.user_id,
        )
        session.add(project)
        session.add(
            ProjectVersion(
                project_id=project.id,
                version=1,
                design=design,
                saved_by_id=self._ctx.user_id,
                note="forked" if forked_from else "created",
            )
        )
        session.flush()
        return self._info_of(session, project.id)

    def load(self, project_id: str, version: int | None = None) -> LoadedProject:
        """The design of a project you may read, at its current version or at ``version``."""
        with self._ctx.transaction() as session:
            project = self._get(session, project_id)
            info = self._info_of(session, project_id)
            if version is None or version == project.version:
                return LoadedProject(info, project.version, project.design)
            snapshot = session.get(ProjectVersion, (project_id, version))
            if snapshot is None:
                raise NotFoundError(
                    f"project {project.name!r} ({project_id}) has no version {version}; "
                    f"its versions are 1..{project.version} (projects.history({project_id!r}))."
                )
            return LoadedProject(info, version, snapshot.design)

    def save(
        self,
        project_id: str,
        design: dict[str, Any],
        expected_version: int,
        *,
        note: str | None = None,
    ) -> ProjectInfo:
        """Store ``design`` as the next version, if the stored version is still ``expected_version``.

        The check and the write are one conditional UPDATE in one transaction with
        the history snapshot: either both land or neither does.

        Raises
        ------
        StaleVersionError
            Somebody saved since you loaded; the newer version is kept.
        """
        checked_optional(note, "the note")
        design = plain_design(design)
        with self._ctx.transaction() as session:
            self._get(session, project_id, for_write=True)
            self._write_version(session, project_id, design, expected_version, note)
            return self._info_of(session, project_id)

    def _write_version(self, session, project_id, design, expected_version, note) -> None:
        result = session.execute(
            update(Project)
            .where(Project.id == project_id, Project.version == expected_version)
            .values(
                design=design,
                version=Project.version + 1,
                updated_at=utcnow(),
                updated_by_id=self._ctx.user_id,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            stored = session.execute(
                select(Project.name, Project.version, User.name)
                .join(User, User.id == Project.updated_by_id)
                .where(Project.id == project_id)
            ).one()
            raise StaleVersionError(project_id, stored[0], expected_version, stored[1], stored[2])
        session.add(
            ProjectVersion(
                project_id=project_id,
                version=expected_version + 1,
                design=design,
                saved_by_id=self._ctx.user_id,
                note=note,
            )
        )

    def fork(self, project_id: str, name: str | None = None) -> ProjectInfo:
        checked_optional(name, "the project name", Project.name)
        """Your own private copy of a project you may read (its current version)."""
        with self._ctx.transaction() as session:
            source = self._get(session, project_id)
            return self._insert(
                session,
                name or f"{source.name} (fork)",
                source.design,
                source.system_type,
                None,
                False,
                source.id,
            )

    def share(
        self, project_id: str, with_user: str | None = None, *, public: bool | None = None
    ) -> ProjectInfo:
        """Share your project read-only with ``with_user``, and/or make it public (or private again)."""
        if with_user is None and public is None:
            raise ValueError("share() needs with_user='name' or public=True/False")
        with self._ctx.transaction() as session:
            project = self._get(session, project_id)
            if project.owner_id != self._ctx.user_id:
                raise AccessDeniedError(
                    f"only the owner can share project {project.name!r} ({project_id}); "
                    f"fork it to share your own copy."
                )
            if with_user is not None:
                user_id = self._ctx.user_id_of(session, with_user)
                if session.get(ProjectShare, (project_id, user_id)) is None:
                    session.add(ProjectShare(project_id=project_id, user_id=user_id))
            if public is not None:
                project.public = public
            session.flush()
            return self._info_of(session, project_id)

    def delete(self, project_id: str) -> None:
        """Delete your project with its history, shares, simulation records and the stored
        results of its simulations (whoever ran them)."""
        with self._ctx.transaction() as session:
            project = self._get(session, project_id)
            if project.owner_id != self._ctx.user_id:
                raise AccessDeniedError(
                    f"only the owner can delete project {project.name!r} ({project_id})"
                )
            keys = session.scalars(
                select(Simulation.result_path).where(
                    Simulation.project_id == project_id, Simulation.result_path.is_not(None)
                )
            ).all()
            session.execute(
                delete(Project)
                .where(Project.id == project_id)
                .execution_options(synchronize_session=False)
            )
        # After the commit: a failed delete never leaves records pointing at removed files.
        self._remove_results(keys)

    def history(self, project_id: str) -> list[VersionInfo]:
        """Every saved version of a project you may read, oldest first."""
        with self._ctx.transaction() as session:
            self._get(session, project_id)
            rows = session.execute(
                select(ProjectVersion, User.name)
                .join(User, User.id == ProjectVersion.saved_by_id)
                .where(ProjectVersion.project_id == project_id)
                .order_by(ProjectVersion.version)
            ).all()
            return [VersionInfo(v.version, v.saved_at, who, v.note) for v, who in rows]

    def restore(self, project_id: str, version: int) -> ProjectInfo:
        """Make the design of ``version`` the newest version (history is kept, nothing is lost)."""
        with self._ctx.transaction() as session:
            project = self._get(session, project_id, for_write=True)
            snapshot = session.get(ProjectVersion, (project_id, version))
            if snapshot is None:
                raise NotFoundError(
                    f"project {project.name!r} ({project_id}) has no version {version}; "
                    f"its versions are 1..{project.version}."
                )
            self._write_version(
                session, project_id, snapshot.design, project.version, f"restored version {version}"
            )
            return self._info_of(session, project_id)
