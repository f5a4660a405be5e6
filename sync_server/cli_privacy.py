"""`phonebank` commands for families' data: delete a family, retention, the audit log, and
the household export for the school's records. Each is recorded in the audit log under
the login of the person at the keyboard (``cli:NAME``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

from . import audit, audited, retention
from .campaigns import campaign_by_slug
from .cli import UserError, _out, open_store, table
from .deletion import anonymise_households, household_by_reference
from .household_export import iter_households_csv

__all__ = ["add_privacy_commands", "write_lines"]


def write_lines(file: str, lines: Iterable[str], *, bom: bool = True) -> None:
    """The lines to FILE (written aside, then renamed, so a failure never leaves half an
    export where the full one is expected), or to standard output for ``-``."""
    if file == "-":
        sys.stdout.writelines(lines)
        sys.stdout.flush()
        return
    target = Path(file)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            out.writelines(lines)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(f"Cannot write {file}: {error.strerror or error}") from error


def cmd_delete_household(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.transaction() as db:
        household_id = household_by_reference(db, args.household)
        result = anonymise_households(db, [household_id], "family_request", must_exist=True)
        audited.deleted(db, audit.Actor.operator(), household_id, result)
    if result.already:
        _out(f"The household {household_id} was deleted before; nothing more to remove.")
    else:
        _out(
            f"Deleted the personal data of household {household_id}: its name, phones, "
            f"members and needs, and the free text of {result.events} events and "
            f"{result.follow_ups} follow-ups. Its outcomes still count, anonymised; "
            "callers' phones drop it at their next sync."
        )
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    actor = audit.Actor.operator()
    with open_store(args) as store:
        report = retention.run_retention_in(store, dry_run=args.dry_run, actor=actor)
    if not report.campaigns:
        _out(
            "No closed campaign has a retention setting: nothing to anonymise. "
            "Set one with `phonebank campaign create … --anonymise-after DAYS` or in the console."
        )
        return 0
    rows = [
        (
            due.slug,
            f"{due.closed_at:%Y-%m-%d}",
            f"{due.due_at:%Y-%m-%d}",
            str(due.households_due),
            str(due.households_kept),
        )
        for due in report.campaigns
    ]
    _out(*table(("campaign", "closed", "due", "families", "kept"), rows, right={3, 4}))
    if args.dry_run:
        now = report.ran_at
        ready = sum(d.households_due for d in report.campaigns if d.due_at <= now)
        _out(f"Dry run: {ready} families are due now; nothing was changed.")
    else:
        _out(f"Anonymised {report.anonymised} families.")
    return 0


def moment(text: str) -> datetime:
    """A date (midnight UTC) or an ISO 8601 moment; naive moments are UTC."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time(0), tzinfo=UTC)
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time, e.g. 2026-11-01 or 2026-11-01T08:00"
        ) from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cmd_audit(args: argparse.Namespace) -> int:
    where = audit.AuditFilter(args.actor, args.action, args.since, args.until)
    render = audit.entries_json_lines if args.format == "jsonl" else audit.entries_csv
    with open_store(args) as store, store.transaction() as db:
        audit.record(db, audit.Actor.operator(), "export.audit", since=args.since)
        write_lines(args.file, render(audit.entries(db, where)), bom=False)
    return 0


def cmd_export_households(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.transaction() as db:
        campaign = campaign_by_slug(db, args.campaign)
        audited.exported(db, audit.Actor.operator(), "export.households", [campaign.id])
        write_lines(args.file, iter_households_csv(db, campaign.id), bom=args.file != "-")
    if args.file != "-":
        _out(f"Wrote the households of {campaign.name!r} to {args.file}.", file=sys.stderr)
    return 0


def add_privacy_commands(
    command: Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser],
) -> None:
    """The commands, added with cli.build_parser's ``command``."""
    delete = command(
        "delete-household",
        "Delete a family's personal data on request (its outcomes stay counted, anonymised).",
        cmd_delete_household,
    )
    delete.add_argument(
        "household",
        metavar="HOUSEHOLD",
        help="The household's id, or its external id (the school's student or family number)",
    )

    retain = command(
        "retention",
        "Anonymise the families of campaigns closed longer than their retention setting.",
        cmd_retention,
    )
    retain.add_argument(
        "--dry-run", action="store_true", help="Count what would be anonymised; change nothing"
    )

    auditing = command(
        "audit", "Export the audit log of supervisor actions (CSV or JSON lines).", cmd_audit
    )
    auditing.add_argument(
        "--since", type=moment, metavar="WHEN", help="From this date or moment (UTC)"
    )
    auditing.add_argument("--until", type=moment, metavar="WHEN", help="Before this moment")
    auditing.add_argument("--actor", metavar="NAME", help="Only this supervisor's actions")
    auditing.add_argument(
        "--action", metavar="ACTION", help="Only this action or area, e.g. household.delete"
    )
    auditing.add_argument(
        "--format", choices=("csv", "jsonl"), default="csv", help="default: %(default)s"
    )
    auditing.add_argument(
        "file", metavar="FILE", nargs="?", default="-", help="Where to write (default: stdout)"
    )

    households = command(
        "export-households",
        "Write a campaign's households for the school's records (SIS) as CSV.",
        cmd_export_households,
    )
    households.add_argument("--campaign", required=True, metavar="SLUG", help="The campaign")
    households.add_argument(
        "file", metavar="FILE", help="Where to write the CSV (- for standard output)"
    )
