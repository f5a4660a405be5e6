"""The supervisor console's one door to the server: every screen's reads and writes.

Plain Python over the server's Store and its services (no page, no HTTP), so it is tested
on its own; the UI runs each call in a worker thread. Every call checks the supervisor's
session first, so signing out — or the session expiring — stops the console at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlite_utils

from app.core.announcements import (
    ANNOUNCEMENT_CHARS,
    Announcement,
    AnnouncementRequest,
    AnnouncementStatus,
)
from app.core.errors import Conflict, NotFound, PhonebankError, Unauthorized
from app.core.events import OptOutChannel
from app.core.family_reports import HouseholdRecord, QueuedFamily
from app.core.imports import ColumnMapping, ImportPreview, ImportReport
from app.core.models import (
    Caller,
    Campaign,
    CampaignDraft,
    Household,
    LanguageCode,
    Member,
    PhoneNumber,
    Script,
    ScriptDraft,
)
from app.core.privacy import AnonymisationResult, AuditEntry, RetentionReport
from app.core.reports import (
    AssignmentPlan,
    CallerInfo,
    CallerUpdate,
    FollowUpItem,
    MoveResult,
    ProgressReport,
    QuarantinedEvent,
    QuarantineStatus,
    QuietCaller,
    RebalanceResult,
    WeekActivity,
)
from app.core.scripts import RenderedScript, render_script, render_text

from .. import (
    announcements,
    assignment,
    audit,
    audited,
    auth,
    caller_activity,
    callers,
    campaigns,
    export,
    followups,
    household_corrections,
    importer,
    language_handoff,
    opt_outs,
    progress,
    quarantine,
    retention,
    targeting,
)
from ..db import Store
from ..deletion import anonymise_households, household_by_reference
from ..guessing import LoginLimiter
from ..household_export import iter_households_csv
from ..languages import language_choices as common_languages
from ..languages import language_name as name_in
from ..languages import read_language
from ..roles import (
    AdminOnly,
    Scope,
    require_event,
    require_follow_up,
    require_households,
)
from ..roles import rule as access_of
from .downloads import Downloads

__all__ = ["ConsoleService", "Dashboard", "Invite", "ScriptPreview", "changes_marker"]

QUIET_DAYS = 3
Route = tuple[str, str]
"""An API operation (method, path template) whose rule in roles.ROUTE_ACCESS a console
action follows."""
IMPORT_INTO_CAMPAIGN: Route = ("POST", "/api/v1/admin/campaigns/{campaign_id}/households/import")
SUPERVISOR_LANGUAGE = "en"
"""The console speaks English; language names are given in it."""


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard draws for one campaign, read in one go."""

    campaign: Campaign
    progress: ProgressReport
    weeks: list[WeekActivity]
    quiet: list[QuietCaller]
    open_follow_ups: int
    open_quarantine: int


@dataclass(frozen=True)
class Invite:
    caller_id: str
    caller_name: str
    code: str
    expires_at: str
    link: str
    qr_png: bytes | None = None
    """The link as a QR code (PNG), for a caller to scan with their phone; None without segno."""


@dataclass(frozen=True)
class TextPreview:
    label: str
    body: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ScriptPreview:
    household: Household
    script: RenderedScript
    texts: list[TextPreview] = field(default_factory=list)


def changes_marker(db: sqlite_utils.Database) -> tuple[int, str, int, int]:
    """A cheap fingerprint of everything the console shows: it moves when anything does.

    Every write a device could see bumps the version counter; syncs move devices'
    last_sync_at; dismissing a quarantined event changes only the open count.
    """
    version = db.execute("SELECT value FROM version_counter WHERE id = 1").fetchone()[0]
    synced, devices = db.execute("SELECT max(last_sync_at), count(*) FROM devices").fetchone()
    quarantined = db.execute(
        "SELECT count(*) FROM events WHERE quarantined = 1 AND quarantine_status = 'open'"
    ).fetchone()[0]
    return int(version), synced or "", int(devices), int(quarantined)


def qr_png(text: str) -> bytes | None:
    """``text`` as a QR code image; None when segno is not installed."""
    try:
        import segno
    except ImportError:
        return None
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def sample_household(scripts: Sequence[ScriptDraft], language: LanguageCode) -> Household:
    """A made-up family with every tag the script asks about, so every section shows."""
    tags = sorted(
        {tag for script in scripts for section in script.sections for tag in section.when_tags}
        | {tag for script in scripts for question in script.questions for tag in question.when_tags}
    )
    return Household(
        id="sample",
        name="Sample family",
        language=language,
        phones=[PhoneNumber(number="+15105550100")],
        members=[
            Member(name="Maria Sample", role="guardian"),
            Member(name="Luis Sample", role="student", grade="5", school="Sample Elementary"),
        ],
        tags=tags,
        school="Sample Elementary",
    )


def rejected_rows_csv(report: ImportReport) -> bytes:
    """The rows an import did not take (and those it took with a warning), for a spreadsheet."""
    rows = [("rejected", row) for row in report.rejected] + [
        ("warning", row) for row in report.warnings
    ]
    headers = list(dict.fromkeys(key for _, row in rows for key in row.raw))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["line", "status", "reason", *headers])
    for status, row in sorted(rows, key=lambda item: item[1].line):
        cells = [str(row.line), status, row.reason, *(row.raw.get(h, "") for h in headers)]
        writer.writerow([export.neutralise(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8-sig")  # a BOM: Excel then reads accents right


class ConsoleService:
    """One supervisor's console session over the server's store."""

    def __init__(
        self,
        store: Store,
        *,
        downloads: Downloads | None = None,
        limiter: LoginLimiter | None = None,
    ) -> None:
        self.store = store
        self.downloads = downloads or Downloads()
        self.limiter = limiter or LoginLimiter()
        self.token: str | None = None
        self.username: str | None = None
        self._who: auth.SupervisorIdentity | None = None

    # --- session ---------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, client: str = "") -> str:
        """Check the password and open a session; the supervisor's name. Wrong passwords
        slow down this client address for this account only (guessing.LoginLimiter)."""
        with self.limiter.attempt(client, username), self.store.transaction() as db:
            token = auth.login(db, username, password)
            who = auth.supervisor_for_token(db, token)
            audited.signed(db, audit.Actor.supervisor(who), "auth.sign_in")
        self.token, self.username, self._who = token, who.username, who
        return who.username

    def resume(self, token: str) -> str | None:
        """Carry on a session signed in earlier (a page reload); None when it has ended."""
        try:
            with self.store.reading() as db:
                who = auth.supervisor_for_token(db, token)
        except Unauthorized:
            return None
        self.token, self.username, self._who = token, who.username, who
        return who.username

    def sign_out(self) -> None:
        if self.token is not None:
            with self.store.transaction() as db:
                if self._who is not None:
                    audited.signed(db, audit.Actor.supervisor(self._who), "auth.sign_out")
                auth.logout(db, self.token)
            self.downloads.revoke_session(self.token)
        self.token = self.username = None
        self._who = None

    @property
    def signed_in(self) -> bool:
        return self.token is not None

    @property
    def is_admin(self) -> bool:
        """A district admin (as of the last check); the console hides what others cannot do."""
        return self._who is not None and self._who.is_admin

    @property
    def role(self) -> str:
        return self._who.role if self._who is not None else ""

    @property
    def scope(self) -> Scope:
        """The schools this session sees (checked by _reading and _writing)."""
        if self._who is None:
            raise Unauthorized("Sign in to use the console")
        return self._who.scope

    def _check(self, db: sqlite_utils.Database, route: Route | None) -> None:
        """The session is alive, and its role may do what ``route`` (the API operation with
        the same effect, roles.ROUTE_ACCESS) does: the console and the API share one table."""
        if self.token is None:
            raise Unauthorized("Sign in to use the console")
        try:
            self._who = auth.supervisor_for_token(db, self.token)
        except Unauthorized:
            self.token = self.username = None
            raise Unauthorized("Your session has ended; sign in again") from None
        if route is not None and not self._who.is_admin and access_of(*route) == "admin":
            raise AdminOnly()

    @contextmanager
    def _reading(self, route: Route | None = None) -> Iterator[sqlite_utils.Database]:
        with self.store.reading() as db:
            self._check(db, route)
            yield db

    @contextmanager
    def _writing(self, route: Route | None = None) -> Iterator[sqlite_utils.Database]:
        with self.store.transaction() as db:
            self._check(db, route)
            yield db

    @property
    def actor(self) -> audit.Actor:
        """Who the audit log names for this session's actions (checked by _writing)."""
        if self._who is None:
            raise Unauthorized("Sign in to use the console")
        return audit.Actor.supervisor(self._who)

    def changes_marker(self) -> tuple[int, str, int, int]:
        with self._reading() as db:
            return changes_marker(db)

    # --- campaigns and scripts -------------------------------------------------------------

    def campaigns(self) -> list[Campaign]:
        with self._reading() as db:
            return campaigns.list_campaigns(db)

    def campaign(self, campaign_id: str) -> Campaign:
        with self._reading() as db:
            return campaigns.get_campaign(db, campaign_id)

    def create_campaign(self, draft: CampaignDraft) -> Campaign:
        with self._writing(("POST", "/api/v1/admin/campaigns")) as db:
            campaign = campaigns.create_campaign(db, draft)
            audited.campaign_saved(db, self.actor, "campaign.create", campaign)
            return campaign

    def update_campaign(self, campaign_id: str, draft: CampaignDraft) -> Campaign:
        with self._writing(("PUT", "/api/v1/admin/campaigns/{campaign_id}")) as db:
            campaign = campaigns.update_campaign(db, campaign_id, draft)
            audited.campaign_saved(db, self.actor, "campaign.update", campaign)
            return campaign

    def scripts(self, campaign_id: str) -> list[Script]:
        with self._reading() as db:
            return campaigns.list_scripts(db, campaign_id)

    def save_script(self, campaign_id: str, draft: ScriptDraft) -> Script:
        with self._writing(
            ("PUT", "/api/v1/admin/campaigns/{campaign_id}/scripts/{language}")
        ) as db:
            script = campaigns.put_script(db, campaign_id, draft)
            audited.script_changed(db, self.actor, "script.save", campaign_id, draft.language)
            return script

    def copy_script(self, campaign_id: str, from_language: str, to_language: str) -> Script:
        """A new script in ``to_language`` starting as a copy, for a translator to rewrite."""
        to_language = to_language.strip()
        if not to_language:
            raise Conflict("Name the language to translate the script into")
        with self._writing(
            ("PUT", "/api/v1/admin/campaigns/{campaign_id}/scripts/{language}")
        ) as db:
            scripts = {s.language: s for s in campaigns.list_scripts(db, campaign_id)}
            if from_language not in scripts:
                raise NotFound(f"The campaign has no script in {from_language!r}")
            if to_language in scripts:
                raise Conflict(f"There is already a script in {to_language!r}; edit that one")
            source = scripts[from_language]
            draft = ScriptDraft.model_validate(
                {**source.model_dump(exclude={"id", "campaign_id"}), "language": to_language}
            )
            script = campaigns.put_script(db, campaign_id, draft)
            audited.script_changed(db, self.actor, "script.save", campaign_id, to_language)
            return script

    def delete_script(self, campaign_id: str, language: str) -> None:
        with self._writing(
            ("DELETE", "/api/v1/admin/campaigns/{campaign_id}/scripts/{language}")
        ) as db:
            campaigns.delete_script(db, campaign_id, language)
            audited.script_changed(db, self.actor, "script.delete", campaign_id, language)

    def preview_households(
        self, campaign_id: str, limit: int = 30
    ) -> list[targeting.ListedHousehold]:
        with self._reading() as db:
            return targeting.campaign_list(db, campaign_id, limit=limit)

    def preview_script(
        self,
        campaign_id: str,
        draft: ScriptDraft,
        household_id: str | None = None,
        caller_name: str = "Ana",
    ) -> ScriptPreview:
        """The draft as a caller would read it to this household (or a sample family)."""
        with self._reading() as db:
            campaign = campaigns.get_campaign(db, campaign_id)
            household = (
                targeting.get_household(db, household_id)
                if household_id
                else sample_household([draft], draft.language)
            )
        script = Script(id="preview", campaign_id=campaign_id, **draft.model_dump())
        texts = [
            TextPreview(
                template.label,
                *render_text(template, household, campaign, caller_name, language=draft.language),
            )
            for template in draft.text_templates
        ]
        return ScriptPreview(
            household, render_script(script, household, campaign, caller_name), texts
        )

    # --- dashboard -------------------------------------------------------------------------

    def dashboard(self, campaign_id: str, quiet_days: int = QUIET_DAYS) -> Dashboard:
        # A write: the progress report first brings its summary tables up to date.
        with self._writing() as db:
            scope = self.scope
            return Dashboard(
                campaign=campaigns.get_campaign(db, campaign_id),
                progress=progress.campaign_progress(db, campaign_id, scope=scope),
                # Callers' weekly activity and who went quiet are the district's (admins').
                weeks=caller_activity.active_callers_per_week(db, campaign_id)
                if scope.everything
                else [],
                quiet=caller_activity.quiet_callers(db, campaign_id, quiet_days)
                if scope.everything
                else [],
                open_follow_ups=len(
                    followups.open_follow_ups(db, campaign_id=campaign_id, scope=scope)
                ),
                open_quarantine=len(
                    quarantine.list_quarantined(db, campaign_id=campaign_id, scope=scope)
                ),
            )

    # --- import ----------------------------------------------------------------------------

    def preview_import(
        self,
        data: bytes,
        mapping: ColumnMapping | None = None,
        *,
        default_language: LanguageCode = "en",
        default_region: str = "US",
        encoding: str | None = None,
        default_area_code: str | None = None,
    ) -> ImportPreview:
        """What the import would do, every row it would reject or merge included."""
        with self._reading(("POST", "/api/v1/admin/households/import/preview")):
            pass
        return importer.preview_import(
            data,
            mapping,
            default_language=default_language,
            default_region=default_region,
            encoding=encoding,
            default_area_code=default_area_code,
            stored=self.store,
        )

    def import_households(
        self,
        data: bytes,
        campaign_id: str | None,
        mapping: ColumnMapping | None = None,
        *,
        replace_open: bool = False,
        default_language: LanguageCode = "en",
        default_region: str = "US",
        encoding: str | None = None,
        default_area_code: str | None = None,
        progress: importer.Progress | None = None,
    ) -> ImportReport:
        """Import the file, all of it in one transaction; ``replace_open`` makes it the
        campaign's whole open list (today's absences replacing yesterday's)."""
        with self._reading(("POST", "/api/v1/admin/households/import")):
            pass
        report = importer.import_households(
            self.store,
            data,
            campaign_id=campaign_id,
            mapping=mapping,
            replace_open=replace_open,
            default_language=default_language,
            default_region=default_region,
            encoding=encoding,
            default_area_code=default_area_code,
            progress=progress,
        )
        # The import is its own transaction: recorded right after.
        with self._writing() as db:
            audited.imported(db, self.actor, report)
        return report

    def rejected_rows_download(self, report: ImportReport, name: str = "import") -> str:
        """A ticket for the report's rejected rows (and warnings) as CSV. Issued with the
        report and fixed, so it lives as long as a session: the link is there to click."""
        assert self.token is not None
        content = rejected_rows_csv(report)
        return self.downloads.issue(
            f"{name}-rejected-rows.csv",
            lambda: content,
            session_token=self.token,
            ttl=auth.SESSION_TTL.total_seconds(),
        )

    # --- targeting -------------------------------------------------------------------------

    def facets(self) -> targeting.Facets:
        with self._reading(IMPORT_INTO_CAMPAIGN) as db:
            return targeting.household_facets(db)

    def find_households(self, criteria: targeting.TargetCriteria) -> list[targeting.HouseholdMatch]:
        # A write: filtering by status first brings the progress summary up to date.
        with self._writing(IMPORT_INTO_CAMPAIGN) as db:
            return targeting.find_households(db, criteria)

    def add_to_campaign(
        self, campaign_id: str, household_ids: Sequence[str]
    ) -> targeting.TargetingResult:
        # Adding any school's households to a campaign is what an import into it does.
        with self._writing(IMPORT_INTO_CAMPAIGN) as db:
            result = targeting.add_to_campaign(db, campaign_id, household_ids)
            audited.targeted(db, self.actor, campaign_id, household_ids)
            return result

    # --- callers ---------------------------------------------------------------------------

    def callers(self) -> list[CallerInfo]:
        with self._reading() as db:
            return callers.list_callers(db, self.scope)

    def add_caller(self, name: str, languages: Sequence[LanguageCode]) -> Caller:
        with self._writing(("POST", "/api/v1/admin/callers")) as db:
            caller = callers.add_caller(db, name, list(languages))
            audited.caller_changed(db, self.actor, "caller.create", caller.id)
            return caller

    def language_choices(self) -> list[tuple[LanguageCode, str]]:
        """What a caller's languages are picked from: the common languages, and every
        language this server's families speak, as (tag, name), by name."""
        with self._reading() as db:
            spoken = [row[0] for row in db.execute("SELECT DISTINCT language FROM households")]
        choices = dict(common_languages(SUPERVISOR_LANGUAGE))
        for language in spoken:
            reading = read_language(language)
            if reading.known and reading.tag not in choices:
                choices[reading.tag] = language_name(reading.tag)
        return sorted(choices.items(), key=lambda choice: (choice[1].casefold(), choice[0]))

    def update_caller(self, caller_id: str, update: CallerUpdate) -> CallerInfo:
        with self._writing(("PATCH", "/api/v1/admin/callers/{caller_id}")) as db:
            info = callers.update_caller(db, caller_id, update)
            detail = update.model_dump(exclude_none=True)
            audited.caller_changed(db, self.actor, "caller.update", caller_id, **detail)
            return info

    def invite(self, caller_id: str, base_url: str) -> Invite:
        """A fresh single-use invite for the caller: code, link to the app, and QR code."""
        with self._writing(("POST", "/api/v1/admin/callers/{caller_id}/invites")) as db:
            caller = auth.load_caller(db, caller_id)
            if not caller.active:
                raise Conflict(f"{caller.name} is not active; reactivate them first")
            code, expires_at = auth.create_invite(db, caller_id)
            audited.invited(db, self.actor, caller_id, expires_at)
        link = f"{base_url.rstrip('/')}/?invite={code}"
        return Invite(caller.id, caller.name, code, expires_at, link, qr_png(link))

    def revoke_device(self, device_id: str) -> None:
        with self._writing(("POST", "/api/v1/admin/devices/{device_id}/revoke")) as db:
            auth.revoke_device(db, device_id)
            audited.revoked(db, self.actor, device_id)

    def wipe_device(self, device_id: str) -> None:
        """A lost device: erased at its next contact (auth.order_wipe)."""
        with self._writing(("POST", "/api/v1/admin/devices/{device_id}/wipe")) as db:
            first = auth.order_wipe(db, device_id)
            audited.wiped(db, self.actor, device_id, first=first)

    # --- assignment ------------------------------------------------------------------------

    def plan_assignment(
        self,
        campaign_id: str,
        *,
        household_ids: Sequence[str] | None = None,
        capacity: int | None = None,
    ) -> AssignmentPlan:
        with self._reading() as db:
            return assignment.plan_assignment(
                db, campaign_id, household_ids, capacity, scope=self.scope
            )

    def apply_plan(self, plan: AssignmentPlan) -> AssignmentPlan:
        """Carry out a plan shown to the supervisor; Conflict if anything moved since."""
        with self._writing() as db:
            applied = assignment.apply_plan(db, plan, self.scope)
            audited.assigned(db, self.actor, applied)
            return applied

    def assign_open(self, campaign_id: str, capacity: int | None = None) -> AssignmentPlan:
        """Plan and apply at once: every open, unassigned household gets a caller."""
        with self._writing() as db:
            plan = assignment.plan_assignment(db, campaign_id, capacity=capacity, scope=self.scope)
            applied = assignment.apply_plan(db, plan, self.scope)
            audited.assigned(db, self.actor, applied)
            return applied

    def move_households(
        self, campaign_id: str, household_ids: Sequence[str], to_caller_id: str | None
    ) -> MoveResult:
        with self._writing() as db:
            result = assignment.move_households(
                db, campaign_id, household_ids, to_caller_id, self.scope
            )
            audited.moved(db, self.actor, result, to_caller_id)
            return result

    def rebalance(
        self, campaign_id: str, quiet_days: int = QUIET_DAYS, *, dry_run: bool = False
    ) -> RebalanceResult:
        with self._writing(
            ("POST", "/api/v1/admin/campaigns/{campaign_id}/assignment/rebalance")
        ) as db:
            result = assignment.rebalance_quiet(db, campaign_id, quiet_days, dry_run=dry_run)
            if not dry_run:
                audited.rebalanced(db, self.actor, result)
            return result

    def campaign_list(
        self, campaign_id: str, *, caller_id: str | None = None, unassigned: bool = False
    ) -> list[targeting.ListedHousehold]:
        with self._reading() as db:
            return targeting.campaign_list(
                db, campaign_id, caller_id=caller_id, unassigned=unassigned, scope=self.scope
            )

    def household_names(self, household_ids: Sequence[str]) -> dict[str, str]:
        with self._reading() as db:
            require_households(db, self.scope, household_ids)
            return targeting.household_names(db, household_ids)

    # --- follow-ups and quarantine ---------------------------------------------------------

    def follow_ups(self, campaign_id: str | None = None) -> list[FollowUpItem]:
        with self._reading() as db:
            return followups.open_follow_ups(db, campaign_id=campaign_id, scope=self.scope)

    def close_follow_up(self, follow_up_id: str, resolution: str = "") -> FollowUpItem:
        with self._writing() as db:
            require_follow_up(db, self.scope, follow_up_id)
            item = followups.close_follow_up(db, follow_up_id, resolution)
            audited.follow_up_changed(db, self.actor, "follow_up.close", item)
            return item

    def reassign_follow_up(self, follow_up_id: str, caller_id: str | None) -> FollowUpItem:
        with self._writing() as db:
            require_follow_up(db, self.scope, follow_up_id)
            item = followups.reassign_follow_up(db, follow_up_id, caller_id)
            audited.follow_up_changed(db, self.actor, "follow_up.reassign", item)
            return item

    def quarantined(
        self, status: QuarantineStatus | None = "open", campaign_id: str | None = None
    ) -> list[QuarantinedEvent]:
        with self._reading() as db:
            return quarantine.list_quarantined(
                db, status, campaign_id=campaign_id, scope=self.scope
            )

    def accept_quarantined(self, event_id: str) -> QuarantinedEvent:
        with self._writing() as db:
            require_event(db, self.scope, event_id)
            event = quarantine.accept(db, event_id)
            audited.quarantine_decided(db, self.actor, "quarantine.accept", event)
            return event

    def dismiss_quarantined(self, event_id: str) -> QuarantinedEvent:
        with self._writing() as db:
            require_event(db, self.scope, event_id)
            event = quarantine.dismiss(db, event_id)
            audited.quarantine_decided(db, self.actor, "quarantine.dismiss", event)
            return event

    # --- export ----------------------------------------------------------------------------

    def export_download(self, campaign_id: str) -> str:
        """A ticket for the campaign's outcomes as CSV, made when it is fetched."""
        return self._campaign_csv_download(
            campaign_id, "outcomes", "export.outcomes", export.iter_outcomes_csv
        )

    def households_export_download(self, campaign_id: str) -> str:
        """A ticket for the campaign's households for the school's records (SIS), as CSV."""
        return self._campaign_csv_download(
            campaign_id, "households", "export.households", iter_households_csv
        )

    def _campaign_csv_download(
        self,
        campaign_id: str,
        name: str,
        action: str,
        lines: Callable[[sqlite_utils.Database, str, Scope], Iterable[str]],
    ) -> str:
        """A ticket for one of the campaign's CSV exports; recorded in the audit log when
        it is fetched (that is when the data leaves)."""
        campaign = self.campaign(campaign_id)
        assert self.token is not None
        store, actor, scope = self.store, self.actor, self.scope

        def produce() -> bytes:
            with store.transaction() as db:
                audited.exported(db, actor, action, [campaign_id])
                # A BOM so that Excel reads accented names right (as `phonebank export`).
                return "".join(lines(db, campaign_id, scope)).encode("utf-8-sig")

        return self.downloads.issue(
            f"{campaign.slug}-{name}.csv", produce, session_token=self.token
        )

    # --- families' data: delete, retention, audit log --------------------------------------

    def delete_household(self, reference: str) -> AnonymisationResult:
        """Remove the family's personal data everywhere (deletion.py); counts stay. The
        family is named by its household id or its external id (student or family number)."""
        with self._writing() as db:
            household_id = household_by_reference(db, reference)
            require_households(db, self.scope, [household_id])
            result = anonymise_households(db, [household_id], "family_request", must_exist=True)
            audited.deleted(db, self.actor, household_id, result)
            return result

    def retention_dry_run(self) -> RetentionReport:
        with self._reading(("GET", "/api/v1/admin/retention")) as db:
            return retention.run_retention(db, dry_run=True)

    def run_retention(self) -> RetentionReport:
        """Anonymise the families due now, in batches (retention.run_retention_in)."""
        with self._reading(("POST", "/api/v1/admin/retention/run")):
            actor = self.actor
        return retention.run_retention_in(self.store, actor=actor)

    def audit_entries(self, where: audit.AuditFilter) -> list[AuditEntry]:
        with self._reading(("GET", "/api/v1/admin/audit")) as db:
            return list(audit.entries(db, where))

    def audit_actors(self) -> list[str]:
        with self._reading(("GET", "/api/v1/admin/audit")) as db:
            return audit.actors(db)

    def audit_download(self, where: audit.AuditFilter) -> str:
        """A ticket for the filtered audit log as CSV; the export is itself recorded."""
        with self._reading(("GET", "/api/v1/admin/audit/export")):
            assert self.token is not None
            store, actor = self.store, self.actor

        def produce() -> bytes:
            with store.transaction() as db:
                audit.record(db, actor, "export.audit", since=where.since)
                return "".join(audit.entries_csv(audit.entries(db, where))).encode("utf-8-sig")

        return self.downloads.issue("audit-log.csv", produce, session_token=self.token)

    # --- families: notes, corrections, the language queue (issue 15) ------------------------

    def language_queue(self, campaign_id: str | None = None) -> list[QueuedFamily]:
        with self._reading() as db:
            return language_handoff.language_queue(db, campaign_id, self.scope)

    def assign_from_queue(self, event_id: str, caller_id: str) -> QueuedFamily:
        with self._writing() as db:
            return language_handoff.assign_from_queue(
                db, event_id, caller_id, self.actor, self.scope
            )

    def find_families(self, campaign_id: str, text: str) -> list[tuple[str, str]]:
        with self._reading() as db:
            return household_corrections.find_households(db, campaign_id, text, scope=self.scope)

    def household_record(self, household_id: str) -> HouseholdRecord:
        with self._reading() as db:
            require_households(db, self.scope, [household_id])
            return household_corrections.household_record(db, household_id)

    def lift_opt_out(
        self, household_id: str, channel: OptOutChannel, reason: str
    ) -> HouseholdRecord:
        """The family may be reached that way again (audited as "opt-out lifted")."""
        with self._writing(("POST", "/api/v1/admin/households/{household_id}/opt-outs/lift")) as db:
            require_households(db, self.scope, [household_id])
            opt_outs.lift_opt_out(db, household_id, channel, reason, self.actor)
            return household_corrections.household_record(db, household_id)

    # --- announcements to callers (issue 15) ----------------------------------------------

    def announcements(self, campaign_id: str) -> list[AnnouncementStatus]:
        with self._reading(("GET", "/api/v1/admin/campaigns/{campaign_id}/announcements")) as db:
            return announcements.statuses(db, campaign_id)

    def post_announcement(
        self, campaign_id: str, text: str, caller_id: str | None = None
    ) -> Announcement:
        text = text.strip()
        if not text or len(text) > ANNOUNCEMENT_CHARS:
            raise PhonebankError(f"Type a message of 1 to {ANNOUNCEMENT_CHARS:,} characters")
        request = AnnouncementRequest(text=text, caller_id=caller_id)
        with self._writing(("POST", "/api/v1/admin/campaigns/{campaign_id}/announcements")) as db:
            return announcements.post(db, campaign_id, request, self.actor)


def campaign_draft(campaign: Campaign) -> CampaignDraft:
    """The editable part of a campaign."""
    return CampaignDraft.model_validate(campaign.model_dump(exclude={"id"}))


def language_name(tag: LanguageCode, in_language: LanguageCode = SUPERVISOR_LANGUAGE) -> str:
    """'yue' → 'Cantonese' (English unless ``in_language`` says otherwise: "cantonés")."""
    return name_in(tag, in_language)


def mapping_json(mapping: ColumnMapping) -> str:
    return json.dumps(mapping.model_dump(), ensure_ascii=False)
