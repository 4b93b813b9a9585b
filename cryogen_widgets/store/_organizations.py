"""Organisations: a team whose members read and save the organisation's projects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cryogen_widgets.store._context import UserContext
from cryogen_widgets.store._errors import AccessDeniedError, NotFoundError, StoreError
from cryogen_widgets.store._models import MEMBER_ROLES, Membership, Organization
from cryogen_widgets.store.plans import require_feature
from solver.errors import UnknownNameError


@dataclass(frozen=True)
class OrganizationInfo:
    name: str
    role: str


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
            return OrganizationInfo(name, "owner")

    def add_member(self, organization: str, user: str, role: str = "member") -> None:
        """Add ``user`` to an organisation you own or administer."""
        if role not in MEMBER_ROLES:
            raise UnknownNameError(
                "role", role, MEMBER_ROLES, where=f"organisation {organization!r}"
            )
        with self._ctx.transaction() as session:
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
            org_id, my_role = row
            if my_role not in ("owner", "admin"):
                raise AccessDeniedError(
                    f"only an owner or admin of {organization!r} can add members; your role is "
                    f"{my_role!r}"
                )
            user_id = self._ctx.user_id_of(session, user)
            membership = session.get(Membership, (org_id, user_id))
            if membership is None:
                session.add(Membership(org_id=org_id, user_id=user_id, role=role))
            else:
                membership.role = role
