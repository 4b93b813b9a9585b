"""Administer accounts from the hub machine: plans that are not bought online (enterprise
contracts, trials), dashboard users.

    python -m hub_config.accounts show alice
    python -m hub_config.accounts set-plan alice enterprise
    python -m hub_config.accounts dashboard bob on

The store is ``CRYOGEN_DB_URL`` (as for the hub) or ``--db URL``. A running server picks
up a new plan at its next start.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cryogen_widgets.store.accounts import Account, Accounts
from solver.errors import CryoGenError


def _print(account: Account) -> None:
    print(
        f"{account.name}: plan {account.plan}, subscription {account.subscription_status}, "
        f"dashboard {'on' if account.dashboard else 'off'}, "
        f"Stripe customer {account.stripe_customer_id or '-'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hub_config.accounts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", help="store URL (default: CRYOGEN_DB_URL, else ~/.cryogen)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("show", help="a user's plan and flags").add_argument("user")
    set_plan = commands.add_parser("set-plan", help="put a user on a plan")
    set_plan.add_argument("user")
    set_plan.add_argument("plan")
    dashboard = commands.add_parser("dashboard", help="open the Voila app instead of JupyterLab")
    dashboard.add_argument("user")
    dashboard.add_argument("state", choices=("on", "off"))
    args = parser.parse_args(argv)
    try:
        accounts = Accounts(args.db)
        if args.command == "show":
            _print(accounts.get(args.user))
        elif args.command == "set-plan":
            _print(accounts.set_plan(args.user, args.plan))
        else:
            _print(accounts.set_dashboard(args.user, args.state == "on"))
    except CryoGenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
