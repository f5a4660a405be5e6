"""The ``phonebank`` command: run the server (with the demo), and a supervisor's chores
from a terminal — supervisors, campaigns, invites, CSV import and export, assignment.

Errors a person can cause print one line on stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import os
import ssl
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path
from typing import TextIO, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
import uvicorn
from pydantic import ValidationError

from app.core.accounts import Account
from app.core.errors import NotFound, PhonebankError
from app.core.imports import ImportReport
from app.core.models import Caller, CallingWindow, Campaign, CampaignDraft, CampaignKind

from . import audited, auth
from .app import create_app
from .assignment import apply_plan, plan_assignment
from .audit import Actor
from .backup import backup, describe, restore, server_lock
from .callers import add_caller
from .campaigns import campaign_by_slug, create_campaign, list_campaigns, open_households
from .db import Store
from .demo import DemoInvite, DemoSummary, fresh_invites, seed_demo
from .export import iter_outcomes_csv
from .importer import import_households
from .languages import caller_languages, read_language
from .request_log import logging_config
from .settings import (
    DEFAULT_DB,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_WEB_OUT,
    ENVIRONMENT,
    BadSetting,
    ServeSettings,
    env,
    env_flag,
    findings,
    normalise_public_url,
    under_supervisor,
)

DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
DEFAULT_WHEELS_CACHE = Path("build") / "wheels-cache"


class UserError(PhonebankError):
    """That cannot be done"""


# ---------------------------------------------------------------------------- helpers


def db_path(given: str | None) -> Path:
    """The database file: --db, else $PHONEBANK_DB, else ./data/phonebank.sqlite; its folder
    is created so that a first run on a fresh machine just works."""
    path = Path(given or os.environ.get("PHONEBANK_DB") or DEFAULT_DB).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"Cannot create the folder for the database {path}: {error}") from error
    return path


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    store = Store(db_path(args.db))
    try:
        yield store
    finally:
        store.close()


def _out(*lines: str, file: TextIO | None = None) -> None:
    print("\n".join(lines), file=file or sys.stdout)


def banner(
    summary: DemoSummary,
    invites: Sequence[DemoInvite],
    base_url: str,
    *,
    offline_app: bool = False,
) -> str:
    """What the person at the keyboard needs to try the demo, in one screen."""
    rule = "─" * 68
    lines = [rule, f"  Phonebank demo — {summary.message.lower()}", rule]
    if offline_app:
        lines += [
            f"  Caller app:      {base_url}/  (or a caller's invite link below; "
            "works offline after the first visit)",
            f"                   {base_url}/app/  (the same, run by the server)",
        ]
    else:
        lines.append(f"  Caller app:      {base_url}/app/  (or a caller's invite link below)")
    lines += [
        f"  Console:         {base_url}/console/",
        f"  API docs:        {base_url}/api/docs",
    ]
    if summary.supervisor_username:
        note = "" if summary.created else "  (unless changed since)"
        lines.append(
            f"  Supervisor:      {summary.supervisor_username} / {summary.supervisor_password}"
            f"{note}"
        )
        lines.append("                   (a demo password: never use it for real data)")
    for campaign in summary.campaigns:
        languages = ", ".join(campaign.script_languages) or "no scripts"
        lines.append(
            f"  Campaign:        {campaign.name} [{campaign.slug}] — "
            f"{campaign.households} households; scripts: {languages}"
        )
    if summary.households:
        lines.append(
            f"  Households:      {summary.households} ({summary.do_not_call} marked do-not-call)"
        )
    if invites:
        lines += ["", "  Caller invites (single use, new on every start):"]
        width = max(len(invite.caller) for invite in invites)
        for invite in invites:
            lines.append(f"    {invite.caller:<{width}}  {invite.code}   {base_url}{invite.link}")
    else:
        lines += ["", "  No demo callers here: add one with `phonebank invite NAME`."]
    lines.append(rule)
    return "\n".join(lines)


def _seed_and_banner(args: argparse.Namespace, base_url: str, *, offline_app: bool = False) -> None:
    with open_store(args) as store:
        summary = seed_demo(store)
        invites = fresh_invites(store)
    _out(banner(summary, invites, base_url, offline_app=offline_app))


def _read_password_stdin() -> str:
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _prompt_password() -> str:
    if not sys.stdin.isatty():
        raise UserError("No terminal to ask for the password on: use --password-stdin")
    first = getpass.getpass("Password (8 characters or more): ")
    second = getpass.getpass("Password again: ")
    if first != second:
        raise UserError("The two passwords differ; nothing was created")
    return first


def _caller_named(db: sqlite_utils.Database, name: str) -> Caller | None:
    """The caller with this name (the first added, if several share it)."""
    row = db.execute(
        "SELECT id FROM callers WHERE name = ? ORDER BY created_at, id LIMIT 1", [name.strip()]
    ).fetchone()
    return auth.load_caller(db, row[0]) if row else None


def _households(count: int) -> str:
    return f"{count} household" if count == 1 else f"{count} households"


def _languages(text: str) -> list[str]:
    """--languages 'Spanish, en' → [es, en]: names or tags; UnknownLanguage names the rest."""
    return caller_languages(text.split(","), names=True, field="--languages")


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UserError(f"Cannot read {path}: {error.strerror or error}") from error


def print_import_report(report: ImportReport, path: str, campaign_name: str) -> None:
    mapped = "; ".join(
        f"{name} ← {', '.join(columns) if isinstance(columns, list) else columns}"
        for name, columns in report.mapping.model_dump().items()
        if columns
    )
    lines = [
        f"Imported {path} into {campaign_name!r} "
        f"(encoding {report.encoding_label or report.encoding}, delimiter {report.delimiter!r})",
        f"  columns: {mapped}",
        f"  rows read:          {report.rows_read}",
        f"  new households:     {report.imported}",
        f"  merged:             {report.merged}",
        f"  added to campaign:  {report.added_to_campaign}",
    ]
    if report.closed:
        lines.append(f"  closed (not in this file): {report.closed}")
    lines.append(f"  rejected:           {len(report.rejected)}")
    if report.rejected:
        lines.append("Rejected rows (not imported; fix them and import the file again):")
        lines += [f"  line {row.line}: {row.reason}" for row in report.rejected]
    if report.warnings:
        lines.append("Warnings (imported, with a value left out):")
        lines += [f"  line {row.line}: {row.reason}" for row in report.warnings]
    _out(*lines)


# ---------------------------------------------------------------------------- commands


def serve_settings(args: argparse.Namespace) -> ServeSettings:
    """The effective configuration: each option from the command line, else its
    PHONEBANK_* environment variable, else the default."""
    try:
        port = int(args.port if args.port is not None else env("port") or DEFAULT_PORT)
    except ValueError as error:
        raise UserError(f"PHONEBANK_PORT must be a number, not {env('port')!r}") from error
    web_app = args.web_app or env("web_app") or str(DEFAULT_WEB_OUT)
    public_url = args.public_url or env("public_url")
    cert = args.tls_cert or env("tls_cert")
    key = args.tls_key or env("tls_key")
    try:
        return ServeSettings(
            db=Path(args.db or env("db") or DEFAULT_DB).expanduser(),
            host=args.host or env("host") or DEFAULT_HOST,
            port=port,
            public_url=normalise_public_url(public_url) if public_url else None,
            tls_cert=Path(cert).expanduser() if cert else None,
            tls_key=Path(key).expanduser() if key else None,
            web_app=None if web_app == "none" else Path(web_app),
            log_json=args.log_json or env_flag("log_json"),
            metrics_token=env("metrics_token"),
        )
    except BadSetting as error:
        raise UserError(error.message) from error


def own_certificate(settings: ServeSettings) -> ssl.SSLContext | None:
    """What the server-driven app trusts when it syncs with this server over HTTPS on
    loopback: exactly this server's certificate (its name is not 127.0.0.1, hence no
    host name check; a leaf is enough as the anchor, hence partial chains)."""
    if settings.tls_cert is None:
        return None
    context = ssl.create_default_context(cafile=str(settings.tls_cert))
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def cmd_serve(args: argparse.Namespace) -> int:
    settings = serve_settings(args)
    try:
        settings.validate()
    except BadSetting as error:
        raise UserError(error.message) from error
    db_path(str(settings.db))  # its folder, on a first run
    base_url = settings.base_url
    web_app = settings.web_app
    offline_app = web_app is not None and (web_app / "bundle.json").is_file()
    with server_lock(settings.db):
        if args.demo:
            _seed_and_banner(args, base_url, offline_app=offline_app)
        else:
            _out(f"Phonebank on {base_url}/  (API docs: {base_url}/api/docs)")
            with open_store(args) as store, store.reading() as db:
                if not db.execute("SELECT 1 FROM supervisors").fetchone():
                    _out(
                        "No supervisor yet: add one with `phonebank create-supervisor NAME`, "
                        "or start with --demo on an empty database."
                    )
        if web_app is not None and not offline_app:
            _out(
                f"The offline caller app is not built in {web_app}: run `phonebank build-web`. "
                f"Meanwhile callers use {base_url}/app/ (needs the server)."
            )
        for finding in serve_warnings(settings):
            _out(f"WARNING: {finding}", file=sys.stderr)
        sys.stdout.flush()  # the banner before uvicorn's log, even when piped to a file
        app = create_app(
            settings.db,
            caller_server_url=settings.local_url,
            console=True,
            web_app=web_app,
            public_url=settings.public_url,
            https=settings.secure,
            metrics_token=settings.metrics_token,
            caller_tls=own_certificate(settings),
        )
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            ssl_certfile=str(settings.tls_cert) if settings.tls_cert else None,
            ssl_keyfile=str(settings.tls_key) if settings.tls_key else None,
            log_config=logging_config(json_lines=settings.log_json),
            access_log=False,  # our own line per request, with its id (request_log.py)
        )
    return 0


def serve_warnings(settings: ServeSettings) -> list[str]:
    """What `serve` says before starting: `check`'s findings about addresses and HTTPS
    (the rest, e.g. no supervisor, is for `check`: a developer's run is fine without)."""
    return [
        finding.text
        for finding in findings(settings, supervised=True)
        if finding.problem and finding.topic in ("address", "https")
    ]


def cmd_check(args: argparse.Namespace) -> int:
    settings = serve_settings(args)
    shown = {
        "db": settings.db,
        "host": settings.host,
        "port": settings.port,
        "public_url": settings.public_url or f"(none: links use {settings.local_url})",
        "tls_cert": settings.tls_cert or "(none)",
        "tls_key": settings.tls_key or "(none)",
        "web_app": settings.web_app or "none",
        "log_json": settings.log_json,
        "metrics_token": "(set)" if settings.metrics_token else "(none: loopback only)",
    }
    lines = ["Effective configuration (option / environment variable = value):"]
    lines += [
        f"  --{name.replace('_', '-'):<14} {ENVIRONMENT[name]:<24} = {value}"
        for name, value in shown.items()
    ]
    found = findings(settings, supervised=under_supervisor())
    problems = [finding.text for finding in found if finding.problem]
    notes = [finding.text for finding in found if not finding.problem]
    lines += ["", *(f"NOTE: {text}" for text in notes)] if notes else []
    if problems:
        lines += ["", f"{len(problems)} problem(s):", *(f"  - {text}" for text in problems)]
    else:
        lines += ["", "No problems found."]
    _out(*lines)
    return 1 if problems else 0


def cmd_backup(args: argparse.Namespace) -> int:
    source = db_path(args.db)
    target = Path(args.file).expanduser()
    backup(source, target)  # what stops it, main() says (a PhonebankError)
    _out(f"Backed up {source} to {target} ({describe(target)}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = db_path(args.db)
    source = Path(args.file).expanduser()
    restore(source, target)  # what stops it, main() says (a PhonebankError)
    _out(
        f"Restored {target} from {source} ({describe(target)}). The database it replaced is "
        f"kept as {target.name}.before-restore. Start the server: devices resend what the "
        "backup lacks at their next sync."
    )
    return 0


def cmd_build_web(args: argparse.Namespace) -> int:
    from .pwa import WheelsMissing, build_web, is_stale

    out = Path(args.out)
    if args.if_stale and not is_stale(out):
        _out(f"The offline caller app in {out} is up to date.")
        return 0
    try:
        build_web(
            out,
            Path(args.cache),
            label=args.label,
            progress=lambda step: _out(f"build-web: {step}"),
        )
    except WheelsMissing as error:
        raise UserError(str(error)) from error
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _seed_and_banner(args, args.base_url.rstrip("/"))
    return 0


def _account_line(account: Account) -> str:
    schools = ", ".join(account.schools) if account.schools else "every school"
    return f"{account.username}: {account.role} ({schools})"


def cmd_create_supervisor(args: argparse.Namespace) -> int:
    password = _read_password_stdin() if args.password_stdin else _prompt_password()
    with open_store(args) as store, store.transaction() as db:
        try:
            account_id = auth.create_supervisor(
                db, args.username, password, args.role, args.school or []
            )
        except PhonebankError as error:
            raise UserError(str(error)) from error
        account = auth.find_account(db, account_id)
        audited.account_changed(db, Actor.operator(), "account.create", account)
    _out(f"Created the supervisor {_account_line(account)}.")
    return 0


def add_role_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--role",
        choices=["admin", "coordinator"],
        default=default,
        help="district admin (every school) or school coordinator (only --school's families)",
    )
    parser.add_argument(
        "--school",
        action="append",
        metavar="SCHOOL",
        help="A school a coordinator sees, as the households' school column; repeat for more",
    )


def cmd_account(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.transaction() as db:
        if args.username is None:
            for account in auth.list_accounts(db):
                _out(_account_line(account))
            return 0
        if args.role is None and args.school is None:
            _out(_account_line(auth.find_account(db, args.username)))
            return 0
        try:
            account = auth.update_account(db, args.username, args.role, args.school)
        except PhonebankError as error:
            raise UserError(str(error)) from error
        audited.account_changed(db, Actor.operator(), "account.update", account)
    _out(f"Changed: {_account_line(account)}.")
    return 0


@contextmanager
def import_target(
    store: Store, slug: str, *, create: bool
) -> Iterator[tuple[Store | sqlite_utils.Database, Campaign]]:
    """Where an import writes, and the campaign it fills. A missing campaign is an error
    saying how to make one, or with ``create`` is made (named after its slug) in the
    import's own transaction: a file that cannot be read leaves no empty campaign behind."""
    with store.reading() as db:
        try:
            campaign: Campaign | None = campaign_by_slug(db, slug)
        except NotFound:
            campaign, here = None, _campaigns_here(db)
    if campaign is not None:
        yield store, campaign
        return
    if not create:
        raise UserError(
            f"No campaign {slug!r}. Create it with `phonebank campaign create {slug} --name …` "
            f"or pass --create{here}"
        )
    draft = _campaign_draft(slug=slug, name=slug.replace("-", " ").capitalize())
    with store.transaction() as db:
        yield db, create_campaign(db, draft)
    _out(
        f"Created the campaign {slug!r} ({draft.name}); change its name, scripts and calling "
        "hours in the console."
    )


def _campaigns_here(db: sqlite_utils.Database) -> str:
    slugs = [slug for (slug,) in db.execute("SELECT slug FROM campaigns ORDER BY slug")]
    return f" (campaigns here: {', '.join(slugs)})" if slugs else ""


def cmd_import_households(args: argparse.Namespace) -> int:
    data = _read_input(args.file)
    with (
        open_store(args) as store,
        import_target(store, args.campaign, create=args.create) as (target, campaign),
    ):
        _out(f"Reading {args.file} ({len(data):,} bytes)…", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            _out(f"  {done:,} of {total:,} rows", file=sys.stderr)

        report = import_households(
            target,
            data,
            campaign_id=campaign.id,
            default_region=args.region,
            default_language=args.language,
            replace_open=args.replace_open,
            progress=progress,
            encoding=args.encoding,
            default_area_code=args.area_code,
        )
        if isinstance(target, Store):  # the import committed on its own: recorded after
            with target.transaction() as db:
                audited.imported(db, Actor.operator(), report)
        else:
            audited.imported(target, Actor.operator(), report)
    print_import_report(report, args.file, campaign.name)
    return 0


def _campaign_draft(**fields: object) -> CampaignDraft:
    """A campaign as typed on the command line, or UserError naming what is wrong."""
    if not str(fields.get("name", "")).strip():
        raise UserError("A campaign needs a name: --name 'Tech check 2026'")
    try:
        return CampaignDraft.model_validate(fields)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else ""
            if field == "slug":
                problems.append(
                    f"{fields['slug']!r} cannot be a campaign's slug: use 1 to 63 lowercase "
                    "letters, digits and dashes, e.g. tech-check-2026"
                )
            else:
                problems.append(f"{CAMPAIGN_OPTIONS.get(field, field)}: {problem['msg']}")
        raise UserError("; ".join(problems)) from None


CAMPAIGN_OPTIONS = {
    "name": "--name",
    "kind": "--kind",
    "default_language": "--language",
    "timezone": "--timezone",
    "calling_window": "--calling-hours",
    "caller_id_prefix": "--caller-id-prefix",
    "variables": "--variable",
    "starts_on": "--starts",
    "ends_on": "--ends",
    "anonymise_after_days": "--anonymise-after",
    "hide_families_after_days": "--hide-families-after",
}
"""The option that sets each field of a campaign, to name it in an error."""


def cmd_campaign_create(args: argparse.Namespace) -> int:
    if args.starts and args.ends and args.ends < args.starts:
        raise UserError(f"--ends {args.ends} is before --starts {args.starts}")
    draft = _campaign_draft(
        slug=args.slug,
        name=args.name.strip(),
        kind=args.kind,
        default_language=read_language(args.language or "en").tag,
        timezone=args.timezone,
        calling_window=args.calling_hours or CallingWindow(),
        caller_id_prefix=args.caller_id_prefix or None,
        variables=dict(args.variable or []),
        starts_on=args.starts,
        ends_on=args.ends,
        active=not args.inactive,
        anonymise_after_days=args.anonymise_after,
        hide_families_after_days=args.hide_families_after,
    )
    with open_store(args) as store, store.transaction() as db:
        campaign = create_campaign(db, draft)
        audited.campaign_saved(db, Actor.operator(), "campaign.create", campaign)
    window = campaign.calling_window
    _out(
        f"Created the campaign {campaign.slug!r}: {campaign.name} ({campaign.kind}; language "
        f"{campaign.default_language}; {campaign.timezone}, calls {window.start:%H:%M}–"
        f"{window.end:%H:%M}{'' if campaign.active else '; inactive'}).",
        f"Next: `phonebank import-households FILE --campaign {campaign.slug}`.",
    )
    return 0


def cmd_campaign_list(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.reading() as db:
        campaigns = list_campaigns(db)
        sizes = open_households(db)
    if not campaigns:
        _out("No campaigns yet: create one with `phonebank campaign create SLUG --name NAME`.")
        return 0
    rows = [
        (c.slug, c.name, c.kind, str(sizes.get(c.id, 0)), "yes" if c.active else "no")
        for c in campaigns
    ]
    _out(*table(("slug", "name", "kind", "households", "active"), rows, right={3}))
    return 0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Plain text columns, as wide as their widest cell; columns in ``right`` aligned right."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * width for width in widths]), *map(line, rows)]


def cmd_invite(args: argparse.Namespace) -> int:
    languages = _languages(args.languages) if args.languages else []
    with open_store(args) as store, store.transaction() as db:
        caller = _caller_named(db, args.name)
        if caller is None:
            caller = add_caller(db, args.name, languages or ["en"])
            audited.caller_changed(db, Actor.operator(), "caller.create", caller.id)
            _out(f"Added the caller {caller.name} ({', '.join(caller.languages)}).")
        else:
            _out(f"Inviting the existing caller {caller.name} ({', '.join(caller.languages)}).")
            if languages and languages != caller.languages:
                _out(
                    "  --languages was not applied: a caller's languages are changed "
                    "in the supervisor console."
                )
        code, expires_at = auth.create_invite(db, caller.id)
        audited.invited(db, Actor.operator(), caller.id, expires_at)
    _out(
        f"Invite code: {code}  (single use, expires {expires_at[:16].replace('T', ' ')} UTC)",
        f"Link:        {args.base_url.rstrip('/')}/?invite={code}",
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .cli_privacy import write_lines

    with open_store(args) as store, store.transaction() as db:
        campaign = campaign_by_slug(db, args.campaign)
        audited.exported(db, Actor.operator(), "export.outcomes", [campaign.id])
        # A BOM so that Excel reads accented names right.
        write_lines(args.file, iter_outcomes_csv(db, campaign.id), bom=args.file != "-")
    if args.file == "-":
        return 0
    _out(f"Wrote the outcomes of {campaign.name!r} to {args.file}.", file=sys.stderr)
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.transaction() as db:
        campaign = campaign_by_slug(db, args.campaign)
        plan = plan_assignment(db, campaign.id, capacity=args.capacity)
        if not args.dry_run:
            plan = apply_plan(db, plan)
            audited.assigned(db, Actor.operator(), plan)
    verb = "Would assign" if args.dry_run else "Assigned"
    lines = [f"{verb} {_households(len(plan.moves))} in {campaign.name!r}:"]
    width = max((len(load.name) for load in plan.loads), default=0)
    for load in plan.loads:
        gained = load.after - load.before
        lines.append(
            f"  {load.name:<{width}}  {_households(load.after):>15}"
            + (f"  (+{gained})" if gained else "")
        )
    if plan.unplaced:
        lines.append(
            f"  {len(plan.unplaced)} left unassigned: the callers who speak their language "
            "are full (raise --capacity or add a caller)"
        )
    if plan.do_not_call:
        lines.append(f"  {len(plan.do_not_call)} not assigned: they asked not to be called")
    lines += [f"  {gap.message}" for gap in plan.languages_without_caller]
    if not plan.loads:
        lines.append("  There are no active callers: add one with `phonebank invite NAME`.")
    _out(*lines)
    return 0


# ---------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonebank",
        description="Offline-first community phone banking: the sync server and a "
        "supervisor's tools.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        help="The SQLite database file (default: $PHONEBANK_DB, else ./data/phonebank.sqlite; "
        "created if missing)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, help: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    serve = command("serve", "Run the server: the caller app, supervisor API and sync.", cmd_serve)
    add_serve_options(serve)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="Load the demo into an empty database and print its logins and invite codes",
    )
    check = command(
        "check",
        "Print the effective `serve` configuration and what is wrong with it (exit 1 if any).",
        cmd_check,
    )
    add_serve_options(check)
    backing_up = command(
        "backup",
        "Copy the database to FILE, consistently, while the server runs.",
        cmd_backup,
    )
    backing_up.add_argument("file", metavar="FILE", help="Where to write the backup")
    restoring = command(
        "restore",
        "Put a backup in place of the database (the server must be stopped).",
        cmd_restore,
    )
    restoring.add_argument("file", metavar="FILE", help="The backup to restore")

    build_web = commands.add_parser(
        "build-web",
        help="Build the offline caller app (a PWA) that `serve` offers at /.",
        description="Build the offline caller app (a PWA) that `serve` offers at /. "
        "The first build downloads the app's Python wheels from PyPI into a cache.",
    )
    build_web.set_defaults(run=cmd_build_web)
    build_web.add_argument(
        "--out", metavar="DIR", default=str(DEFAULT_WEB_OUT), help="Where (default: %(default)s)"
    )
    build_web.add_argument(
        "--cache",
        metavar="DIR",
        default=str(DEFAULT_WHEELS_CACHE),
        help="The wheel cache (default: %(default)s)",
    )
    build_web.add_argument(
        "--label",
        metavar="TEXT",
        help="A name for this build, shown in index.html (default: a hash of the sources)",
    )
    build_web.add_argument(
        "--if-stale",
        action="store_true",
        help="Build only when the sources changed since the last build",
    )

    demo = command(
        "demo", "Load the demo into an empty database, print its logins, exit.", cmd_demo
    )
    demo.add_argument(
        "--base-url",
        metavar="URL",
        default=env("public_url") or DEFAULT_BASE_URL,
        help="Where the server will be reached, for the printed links (default: %(default)s)",
    )

    supervisor = command(
        "create-supervisor", "Add a supervisor who signs in to the console.", cmd_create_supervisor
    )
    supervisor.add_argument("username", metavar="USERNAME", help="The new supervisor's user name")
    supervisor.add_argument(
        "--password-stdin",
        action="store_true",
        help="Read the password from the first line of standard input instead of prompting",
    )
    add_role_options(supervisor, default="admin")

    account = command(
        "account",
        "List supervisor accounts, or show or change one's role and schools.",
        cmd_account,
    )
    account.add_argument(
        "username", metavar="USERNAME", nargs="?", help="The account (none: list every account)"
    )
    add_role_options(account, default=None)

    importing = command(
        "import-households",
        "Import households from a CSV file into a campaign and report rejected rows.",
        cmd_import_households,
    )
    importing.add_argument("file", metavar="FILE", help="The CSV file (- reads standard input)")
    importing.add_argument(
        "--campaign", required=True, metavar="SLUG", help="The campaign to put them on"
    )
    importing.add_argument(
        "--region",
        default="US",
        help="Country for phone numbers written without +country code (default: %(default)s)",
    )
    importing.add_argument(
        "--language",
        default="en",
        help="Language for households whose row names none (default: %(default)s)",
    )
    importing.add_argument(
        "--encoding",
        metavar="NAME",
        help="The file's encoding (utf-8, cp1252, mac-roman, utf-16, latin-1 …; "
        "default: decided from the whole file)",
    )
    importing.add_argument(
        "--area-code",
        metavar="DIGITS",
        help="Area code for numbers written without one (555-0123 → 510-555-0123)",
    )
    importing.add_argument(
        "--create",
        action="store_true",
        help="Create the campaign (named after its slug) if there is none with that slug",
    )
    importing.add_argument(
        "--replace-open",
        action="store_true",
        help="Make this file the campaign's whole open list, closing the others "
        "(e.g. today's absences)",
    )

    add_campaign_commands(commands, common)

    invite = command(
        "invite",
        "Print a single-use invite code and link for a caller, adding the caller if new.",
        cmd_invite,
    )
    invite.add_argument("name", metavar="NAME", help="The caller's name, e.g. 'Marisol Reyes'")
    invite.add_argument(
        "--languages",
        metavar="LANGS",
        help="Comma-separated languages a new caller speaks, as codes or names, e.g. es,en "
        "or 'Spanish, English' (default: en)",
    )
    invite.add_argument(
        "--base-url",
        metavar="URL",
        default=env("public_url") or DEFAULT_BASE_URL,
        help="Where callers reach the server, for the link (default: %(default)s)",
    )

    export = command("export", "Write a campaign's call outcomes as CSV.", cmd_export)
    export.add_argument("--campaign", required=True, metavar="SLUG", help="The campaign to export")
    export.add_argument(
        "file", metavar="FILE", help="Where to write the CSV (- for standard output)"
    )

    assign = command(
        "assign",
        "Give a campaign's unassigned households to callers (language, continuity, balance).",
        cmd_assign,
    )
    assign.add_argument("--campaign", required=True, metavar="SLUG", help="The campaign to assign")
    assign.add_argument(
        "--capacity", type=int, metavar="N", help="At most N open households per caller"
    )
    assign.add_argument(
        "--dry-run", action="store_true", help="Show what would be assigned; change nothing"
    )
    from .cli_privacy import add_privacy_commands  # it imports this module

    add_privacy_commands(command)
    return parser


def add_campaign_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`phonebank campaign create|list`."""
    summary = "Create a campaign, or list them."
    campaign = commands.add_parser("campaign", help=summary, description=summary)
    actions = campaign.add_subparsers(
        dest="campaign_action", metavar="ACTION", required=True, help="create or list"
    )

    def action(
        name: str, help: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run, command=f"campaign {name}")
        return sub

    create = action(
        "create",
        "Create a campaign: its slug, name, kind, language, time zone and calling hours.",
        cmd_campaign_create,
    )
    option = create.add_argument
    option("slug", metavar="SLUG", help="Short name used by other commands, e.g. tech-check-2026")
    option("--name", required=True, help="The name people see, e.g. 'Tech check 2026'")
    option(
        "--kind",
        choices=get_args(CampaignKind),
        default="standard",
        help="standard, or daily_attendance (today's absence list replaces yesterday's; "
        "default: %(default)s)",
    )
    option(
        "--language",
        default="en",
        metavar="LANG",
        help="The script's default language, a code or a name, e.g. es (default: %(default)s)",
    )
    option(
        "--timezone",
        type=time_zone,
        default="America/Los_Angeles",
        metavar="ZONE",
        help="Time zone of its calling hours, e.g. America/Chicago (default: %(default)s)",
    )
    option(
        "--calling-hours",
        type=calling_hours,
        metavar="HH:MM-HH:MM",
        help="When households may be called, their local time (default: 09:00-20:00)",
    )
    option("--caller-id-prefix", metavar="PREFIX", help="Dialled before each number, e.g. *67")
    option(
        "--variable",
        action="append",
        type=variable,
        metavar="KEY=VALUE",
        help="A campaign-wide placeholder for scripts, e.g. school='Lab HS' (repeatable)",
    )
    option("--starts", type=iso_date, metavar="YYYY-MM-DD", help="First day of calling")
    option("--ends", type=iso_date, metavar="YYYY-MM-DD", help="Last day of calling")
    option(
        "--inactive",
        action="store_true",
        help="Create it marked inactive, e.g. prepared ahead (switch it on in the console)",
    )
    option(
        "--anonymise-after",
        type=int,
        metavar="DAYS",
        help="Retention: anonymise its families DAYS days after it closes (default: keep)",
    )
    option(
        "--hide-families-after",
        type=int,
        default=14,
        metavar="DAYS",
        help="A caller's phone that has not synced for DAYS days hides its families until "
        "it syncs again (default: 14)",
    )
    action(
        "list",
        "List the campaigns: slug, name, kind, open households and whether active.",
        cmd_campaign_list,
    )


def time_zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r}: use a name such as America/Los_Angeles"
        ) from error
    return text.strip()


def calling_hours(text: str) -> CallingWindow:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not HH:MM-HH:MM, e.g. 09:00-20:00"
        ) from error
    if start >= end:
        raise argparse.ArgumentTypeError(f"calling hours {text!r} end before they start")
    return CallingWindow(start=start, end=end)


def variable(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE, e.g. school='Lab HS'")
    return key.strip(), value.strip()


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from error


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """`serve`'s options, shared with `check`; each also read from its environment variable
    (defaults are applied in serve_settings, so that the variables count)."""
    option = parser.add_argument
    option(
        "--host",
        help=f"Address to listen on (${ENVIRONMENT['host']}; default {DEFAULT_HOST}; "
        "0.0.0.0 for every interface)",
    )
    option(
        "--port",
        type=int,
        help=f"Port to listen on (${ENVIRONMENT['port']}; default {DEFAULT_PORT})",
    )
    option(
        "--public-url",
        metavar="URL",
        help=f"Where callers and supervisors reach this server, e.g. "
        f"https://phonebank.example.org: invite links and QR codes use it "
        f"(${ENVIRONMENT['public_url']})",
    )
    option(
        "--tls-cert",
        metavar="FILE",
        help=f"Serve HTTPS with this certificate (PEM, full chain; ${ENVIRONMENT['tls_cert']})",
    )
    option(
        "--tls-key",
        metavar="FILE",
        help=f"The certificate's private key (PEM; ${ENVIRONMENT['tls_key']})",
    )
    option(
        "--web-app",
        metavar="DIR",
        help=f"The built offline caller app to serve at / (${ENVIRONMENT['web_app']}; default "
        f"{DEFAULT_WEB_OUT}; 'none' serves only the server-driven app at /app/)",
    )
    option(
        "--log-json",
        action="store_true",
        help=f"Log one JSON object per line (${ENVIRONMENT['log_json']}=1)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help (0) or a usage error (2)
        return exit.code if isinstance(exit.code, int) else 2
    try:
        result: int = args.run(args)
    except PhonebankError as error:
        _out(f"phonebank {args.command}: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    raise SystemExit(main())
