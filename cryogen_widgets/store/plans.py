"""Plan tiers as data, and the checks that enforce them where the work happens.

The tiers live in ONE file, ``plans.json`` shipped beside this module as package
data (or the file named by ``CRYOGEN_PLANS_FILE``, which the hub exports to every
kernel). The hub sizes
each kernel from it and exports the limits as environment variables
(:func:`kernel_environment`), so the kernel knows its plan without importing
the hub.

A design with more components than the plan solves in the kernel is routed to
Dask when the plan includes server simulations (each one is booked against the
monthly quota by ``store.usage.book_server_simulation``), and refused otherwise;
every refusal names the cheapest plan that lifts it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from cryogen_widgets.store._errors import PlanLimitError, QuotaExceededError, StoreError
from solver.errors import UnknownNameError

DEFAULT_PLANS_FILE = Path(__file__).with_name("plans.json")
BILLING_PAGE = "/services/billing/"
_FIELDS = {
    "title": str,
    "price_usd_per_month": (int, type(None)),
    "max_kernel_components": (int, type(None)),
    "server_simulations_per_month": (int, type(None)),
    "dask_workers": int,
    "cpu_limit": (int, float),
    "cpu_guarantee": (int, float),
    "mem_limit": str,
    "mem_guarantee": str,
    "features": list,
    "stripe_price_env": (str, type(None)),
}


@dataclass(frozen=True)
class Plan:
    """One tier. ``None`` for a limit means unlimited; ``price_usd_per_month`` None means custom."""

    name: str
    title: str
    price_usd_per_month: int | None
    max_kernel_components: int | None
    server_simulations_per_month: int | None
    dask_workers: int
    cpu_limit: float
    cpu_guarantee: float
    mem_limit: str
    mem_guarantee: str
    features: frozenset[str]
    stripe_price_env: str | None


@dataclass(frozen=True)
class PlanTable:
    """All tiers, cheapest first, and the plan a new user starts on."""

    plans: tuple[Plan, ...]
    default: str
    path: Path

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.plans)

    def get(self, name: str) -> Plan:
        for plan in self.plans:
            if plan.name == name:
                return plan
        raise UnknownNameError("plan", name, self.names, where=str(self.path))

    def upgrades(self, plan: Plan) -> tuple[Plan, ...]:
        """The plans above ``plan``, cheapest first."""
        return self.plans[self.names.index(plan.name) + 1 :] if plan.name in self.names else ()


def plans_file() -> Path:
    """``CRYOGEN_PLANS_FILE``, else the ``plans.json`` shipped with the package."""
    return Path(os.environ.get("CRYOGEN_PLANS_FILE") or DEFAULT_PLANS_FILE)


def load_plans(path: str | os.PathLike | None = None) -> PlanTable:
    """Read and check the plans file (every field present and typed, default plan defined)."""
    return _load(Path(path) if path else plans_file())


@lru_cache(maxsize=8)
def _load(path: Path) -> PlanTable:
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise StoreError(
            f"plans file {path} not found; set CRYOGEN_PLANS_FILE to a plans file, or unset it to use the one shipped with CryoGen"
        ) from None
    if raw.get("schema") != "cryogen/plans@1":
        raise StoreError(f"{path}: 'schema' must be 'cryogen/plans@1', got {raw.get('schema')!r}")
    plans = []
    for entry in raw.get("plans", []):
        name = entry.get("name")
        for field, kind in _FIELDS.items():
            if field not in entry:
                raise StoreError(f"{path}: plan {name!r} has no field {field!r}")
            if isinstance(entry[field], bool) or not isinstance(entry[field], kind):
                raise StoreError(
                    f"{path}: plan {name!r} field {field!r} has the wrong type "
                    f"({type(entry[field]).__name__})"
                )
        if not isinstance(name, str) or not name:
            raise StoreError(f"{path}: every plan needs a 'name'")
        unknown = set(entry) - set(_FIELDS) - {"name"}
        if unknown:
            raise StoreError(f"{path}: plan {name!r} has unknown fields {sorted(unknown)}")
        plans.append(Plan(**{**entry, "features": frozenset(entry["features"])}))
    table = PlanTable(tuple(plans), raw.get("default_plan", ""), path)
    if not plans:
        raise StoreError(f"{path}: no plans defined")
    table.get(table.default)
    return table


def resolve_plan(plan: Plan | str | None, table: PlanTable | None = None) -> Plan:
    """A Plan from a Plan, a plan name, or None (the kernel's ``CRYOGEN_PLAN``, else the default)."""
    if isinstance(plan, Plan):
        return plan
    table = table or load_plans()
    return table.get(plan or os.environ.get("CRYOGEN_PLAN") or table.default)


def kernel_environment(plan: Plan, table: PlanTable) -> dict[str, str]:
    """The variables the hub exports to a kernel of ``plan``. Unlimited limits are left unset
    (``CRYOGEN_MAX_KERNEL_COMPONENTS`` unset means the solver's own scale threshold applies)."""
    env = {
        "CRYOGEN_PLAN": plan.name,
        "CRYOGEN_PLANS_FILE": str(table.path),
        "CRYOGEN_DASK_WORKERS": str(plan.dask_workers),
        "CRYOGEN_CPU_LIMIT": f"{plan.cpu_limit:g}",
        "CRYOGEN_MEM_LIMIT": plan.mem_limit,
        "CRYOGEN_FEATURES": ",".join(sorted(plan.features)),
    }
    if plan.max_kernel_components is not None:
        env["CRYOGEN_MAX_KERNEL_COMPONENTS"] = str(plan.max_kernel_components)
    if plan.server_simulations_per_month is not None:
        env["CRYOGEN_SERVER_SIMULATIONS_PER_MONTH"] = str(plan.server_simulations_per_month)
    return env


def _limit_text(value: int | None, unit: str) -> str:
    return f"unlimited {unit}" if value is None else f"{value} {unit}"


def _lifted_by(plan: Plan, table: PlanTable, ok, what: str) -> str:
    for upgrade in table.upgrades(plan):
        if ok(upgrade):
            return (
                f"The {upgrade.name} plan lifts this ({what(upgrade)}): upgrade on {BILLING_PAGE}"
            )
    return "No plan lifts this limit; contact sales for an enterprise agreement."


@dataclass(frozen=True)
class Placement:
    """Where a design runs: ``"kernel"`` or ``"dask"`` (a server simulation), and why."""

    where: Literal["kernel", "dask"]
    reason: str


def component_count(design: dict[str, Any]) -> int:
    """Number of entries in the design's ``components`` list (links are not components)."""
    components = design.get("components", [])
    if not isinstance(components, list):
        raise StoreError("design 'components' must be a list")
    return len(components)


def check_design_allowed(
    design: dict[str, Any], plan: Plan | str | None = None, table: PlanTable | None = None
) -> Placement:
    """Where ``design`` may run under ``plan`` (Plan, name, or None for the kernel's plan).

    Raises
    ------
    PlanLimitError
        The design is over the plan's kernel limit and the plan has no server
        simulations; the message names the plan that lifts it.
    """
    table = table or load_plans()
    plan = resolve_plan(plan, table)
    n = component_count(design)
    limit = plan.max_kernel_components
    if limit is None or n <= limit:
        return Placement("kernel", f"{n} components, within the {plan.name} plan's kernel limit")
    if plan.dask_workers > 0 and plan.server_simulations_per_month != 0:
        return Placement(
            "dask",
            f"{n} components is over the {plan.name} plan's kernel limit of {limit}: "
            f"runs as a server (Dask) simulation",
        )
    raise PlanLimitError(
        f"this design has {n} components; the {plan.name} plan solves up to {limit} in the kernel "
        f"and includes no server simulations. "
        + _lifted_by(
            plan,
            table,
            lambda p: p.max_kernel_components is None or p.max_kernel_components >= n,
            lambda p: _limit_text(p.max_kernel_components, "components in the kernel"),
        )
    )


def require_feature(
    feature: str, plan: Plan | str | None = None, table: PlanTable | None = None
) -> None:
    """PlanLimitError naming the plan that includes ``feature`` when ``plan`` does not."""
    table = table or load_plans()
    plan = resolve_plan(plan, table)
    known = set().union(*(p.features for p in table.plans))
    if feature not in known:
        raise UnknownNameError("feature", feature, known, where="plans")
    if feature in plan.features:
        return
    raise PlanLimitError(
        f"{feature.replace('_', ' ')} is not included in the {plan.name} plan. "
        + _lifted_by(plan, table, lambda p: feature in p.features, lambda p: f"includes {feature}")
    )


def plan_including(
    feature: str, plan: Plan | str | None = None, table: PlanTable | None = None
) -> str | None:
    """Name of the cheapest plan above ``plan`` that includes ``feature``; None when ``plan``
    includes it already, "a custom" when no listed plan does."""
    table = table or load_plans()
    plan = resolve_plan(plan, table)
    if feature in plan.features:
        return None
    return next((p.name for p in table.upgrades(plan) if feature in p.features), "a custom")


def quota_reset_date(month: str) -> str:
    """The day (UTC) the quota of ``month`` (``"YYYY-MM"``) resets: the 1st of the next month."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}-01"


ANALYSIS_FEATURES = {"quench": "quench_analysis"}
"""Analyses (``solver.jobs.ANALYSES``) that a plan must include as a feature."""
EXPORT_FEATURES = {"vtk": "vtk_export"}
"""Export formats that a plan must include as a feature (CSV and NetCDF are in every plan)."""


def check_server_quota(used: int, plan: Plan, table: PlanTable, month: str) -> None:
    """QuotaExceededError when ``used`` server simulations already fill the plan's monthly quota."""
    limit = plan.server_simulations_per_month
    if limit is None or used < limit:
        return
    raise QuotaExceededError(
        f"the {plan.name} plan's {limit} server simulations for {month} are used ({used} run); "
        f"the count resets on {quota_reset_date(month)} (UTC). Until then run designs within "
        f"the kernel limit. "
        + _lifted_by(
            plan,
            table,
            lambda p: (
                p.server_simulations_per_month is None or p.server_simulations_per_month > used
            ),
            lambda p: _limit_text(p.server_simulations_per_month, "server simulations a month"),
        )
    )
