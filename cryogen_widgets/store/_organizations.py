"""Organisations: a team whose members read and save the organisation's projects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import AccessDeniedError, NotFoundError, StoreError
from cryogen_widgets.store._input import checked
from cryogen_widgets.store._models import (
    MEMBER_ROLES,
    Membership,
    Organization,
    RoleChange,
    User,
)
from cryogen_widgets.store.plans import require_feature
from solver.errors import UnknownNameError


@dataclass(frozen=True)
class OrganizationInfo:
    name: str
    role: str


@dataclass(frozen=True)
class RoleChangeInfo:
    """One recorded role change: ``old_role`` None when added, ``new_role`` None when removed."""

    member: str
    old_role: str | None
    new_role: str | None
    changed_by: str | None


class Organizations:
    """The signed-in user's organisations (``store.organizations``)."""

    def __init__(self, ctx: UserContext):
        self._ctx = ctx

    def list(self) -> list[OrganizationInfo]:
        """The organisations you belong to, with your role in each."""
        with self._ctx.transaction() as session:
            rows = session.execute(
                select(Organization.name, Membership.role)
                .join(Membership, Membership.org_id == Organization.id)
                .where(Membership.user_id == self._ctx.user_id)
                .order_by(Organization.name)
            ).all()
            return [OrganizationInfo(name, role) for name, role in rows]

    def create(self, name: str) -> OrganizationInfo:
        """A new organisation with you as its owner (a plan with ``collaboration``)."""
        checked(name, "the organisation name", Organization.name)
        with self._ctx.transaction() as session:
            require_feature("collaboration", self._ctx.plan_name(session))
            if session.scalar(select(Organization.id).where(Organization.name == name)) is not None:
                raise StoreError(
                    f"an organisation named {name!r} already exists; pick another name"
                )
            org = Organization(name=name)
            session.add(org)
            session.flush()
            session.add(Membership(org_id=org.id, user_id=self._ctx.user_id, role="owner"))
            self._record(session, org.id, self._ctx.user_id, None, "owner")
            return OrganizationInfo(name, "owner")

    def add_member(self, organization: str, user: str, role: str = "member") -> None:
        """Add ``user`` to an organisation you own or administer, or change their role.

        ``role`` is ``admin`` or ``member``: an organisation has exactly one owner, and
        only the owner hands that role on (:meth:`transfer_ownership`). The owner's own
        role cannot be changed here, and an admin cannot change another admin's role.
        Every change is recorded (:meth:`role_history`).
        """
        if role not in MEMBER_ROLES:
            raise UnknownNameError(
                "role", role, MEMBER_ROLES, where=f"organisation {organization!r}"
            )
        if role == "owner":
            raise AccessDeniedError(
                f"{organization!r} keeps exactly one owner: the owner hands the role on with "
                "transfer_ownership(organization, user)"
            )
        with self._ctx.transaction() as session:
            org_id, my_role = self._my_membership(session, organization)
            if my_role not in ("owner", "admin"):
                raise AccessDeniedError(
                    f"only an owner or admin of {organization!r} can add members; your role is "
                    f"{my_role!r}"
                )
            user_id = self._ctx.user_id_of(session, user)
            membership = session.get(Membership, (org_id, user_id))
            if membership is None:
                session.add(Membership(org_id=org_id, user_id=user_id, role=role))
                self._record(session, org_id, user_id, None, role)
                return
            if membership.role == "owner":
                raise AccessDeniedError(
                    f"{user!r} owns {organization!r}: the owner's role changes only when they "
                    "transfer ownership to another member"
                )
            if my_role == "admin" and membership.role == "admin" and user_id != self._ctx.user_id:
                raise AccessDeniedError(
                    f"{user!r} is an admin of {organization!r}: only the owner changes an "
                    "admin's role"
                )
            if membership.role != role:
                self._record(session, org_id, user_id, membership.role, role)
                membership.role = role

    def transfer_ownership(self, organization: str, user: str) -> None:
        """Make member ``user`` the owner of an organisation you own; you become an admin."""
        with self._ctx.transaction() as session:
            org_id, my_role = self._my_membership(session, organization)
            if my_role != "owner":
                raise AccessDeniedError(
                    f"only the owner of {organization!r} can transfer ownership; your role is "
                    f"{my_role!r}"
                )
            user_id = self._ctx.user_id_of(session, user)
            membership = session.get(Membership, (org_id, user_id))
            if membership is None:
                raise NotFoundError(f"{user!r} is not a member of {organization!r}: add them first")
            if user_id == self._ctx.user_id:
                return
            mine = session.get(Membership, (org_id, self._ctx.user_id))
            self._record(session, org_id, user_id, membership.role, "owner")
            self._record(session, org_id, self._ctx.user_id, "owner", "admin")
            mine.role = "admin"
            session.flush()  # never two owners at once, even inside the transaction
            membership.role = "owner"

    def role_history(self, organization: str) -> list[RoleChangeInfo]:
        """Every role change in an organisation you belong to, oldest first."""
        changed_by = aliased(User)
        member = aliased(User)
        with self._ctx.transaction() as session:
            org_id, _ = self._my_membership(session, organization)
            rows = session.execute(
                select(member.name, RoleChange.old_role, RoleChange.new_role, changed_by.name)
                .join(member, member.id == RoleChange.user_id)
                .outerjoin(changed_by, changed_by.id == RoleChange.changed_by_id)
                .where(RoleChange.org_id == org_id)
                .order_by(RoleChange.id)
            ).all()
            return [RoleChangeInfo(*row) for row in rows]

    def _my_membership(self, session, organization: str) -> tuple[int, str]:
        checked(organization, "the organisation name", Organization.name)
        row = session.execute(
            select(Organization.id, Membership.role)
            .join(Membership, Membership.org_id == Organization.id)
            .where(Organization.name == organization, Membership.user_id == self._ctx.user_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"user {self._ctx.user_name!r} is not a member of an organisation named "
                f"{organization!r}"
            )
        return row[0], row[1]

    def _record(self, session, org_id: int, user_id: int, old: str | None, new: str | None):
        session.add(
            RoleChange(
                org_id=org_id,
                user_id=user_id,
                changed_by_id=self._ctx.user_id,
                old_role=old,
                new_role=new,
            )
        )
