"""The caller app's one door to its data: the device store and the sync client behind
methods named after what a caller does (join, open a household, record what happened…).

Plain Python, asyncio only: the same code runs on a desktop, behind a web server and in
the browser under Pyodide. Screens call this; they never see SQL or HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo

from app.core.announcements import Announcement
from app.core.calling_hours import CallingHours, calling_hours, household_zone
from app.core.clock import Clock, utcnow
from app.core.dispositions import QUICK_CODES, disposition_by_code, dispositions_for
from app.core.effects import opted_out
from app.core.errors import (
    InvalidInvite,
    NotFound,
    PhonebankError,
    SyncError,
)
from app.core.events import Event, OptOutChannel
from app.core.household_state import Group
from app.core.models import (
    Caller,
    Campaign,
    Channel,
    Disposition,
    FollowUpKind,
    Household,
    LanguageCode,
    Script,
    SurveyQuestion,
)
from app.core.outcome_draft import OutcomeDraft
from app.core.scripts import (
    choose_script,
    dials_codes,
    render_text,
    script_for,
    sms_link,
    tel_link,
)
from app.store import DeviceStore, ListedHousehold
from app.sync import SyncClient, SyncReport, SyncStatus

from .household_corrections import HouseholdCorrections
from .i18n import Catalogues, default_catalogues, language_names
from .list_search import ListSearch
from .sheets import (
    GROUPS,
    CallerIdHiding,
    CallSheet,
    FollowUpRow,
    HouseholdRow,
    ListFilters,
    ListGroup,
    MyList,
    PhoneChoice,
    SavedOutcome,
    StatsSheet,
    TextOption,
)
from .survey import callback_choices, choice_labels, typed_answers

log = logging.getLogger(__name__)

TEXT_DISPOSITION = "text_sent"
"""The outcome a text is logged with, when the campaign's catalogue has it."""
TEXT_FALLBACK_DISPOSITION = "left_voicemail"
"""Until the catalogue has ``text_sent``: a message left, try again later."""
INBOUND_DISPOSITION = "reached_follow_up"
COMMON_LANGUAGES: tuple[LanguageCode, ...] = ("en", "es", "zh", "vi", "ar", "fil", "ru", "ko")
HANDOFF_LANGUAGES: tuple[LanguageCode, ...] = ("yue", "zh-Hant", "pt", "fr", "ht", "so", "hmn")
"""Offered after the common ones when a family needs another language (issue 15)."""


class OutcomeIncomplete(PhonebankError):
    """That outcome needs one more detail"""

    key = "error.outcome_incomplete"


class OutsideCallingHours(PhonebankError):
    """It is outside this family's calling hours"""

    key = "error.outside_calling_hours"


class TextOptedOut(PhonebankError):
    """This family asked not to get texts"""

    key = "error.text_opted_out"


class CallOptedOut(PhonebankError):
    """This family asked not to be called"""

    key = "error.call_opted_out"


OPTED_OUT: dict[OptOutChannel, type[PhonebankError]] = {
    "call": CallOptedOut,
    "text": TextOptedOut,
}
"""What the session raises when a caller tries a channel the family opted out of."""


class NothingToText(PhonebankError):
    """There is no text message for this campaign yet"""

    key = "error.nothing_to_text"


class UnsentWorkWouldBeLost(PhonebankError):
    """This phone has work the server has not received; erasing it now loses that work"""

    key = "error.unsent_work_would_be_lost"


class CallerSession:
    """One caller's device: their list, their calls, their sync.

    ``sync`` is None in practice mode: nothing leaves the device, and the status stays
    "offline, nothing pending" by design.
    """

    def __init__(
        self,
        store: DeviceStore,
        sync: SyncClient | None,
        server_url: str = "",
        *,
        clock: Clock = utcnow,
        practice: bool = False,
        caller_name: str = "",
        device_name: str = "",
        catalogues: Catalogues | None = None,
    ) -> None:
        self.store = store
        self.sync = sync
        self.server_url = server_url.rstrip("/")
        self.clock = clock
        self.practice = practice
        self.device_name = device_name
        self._caller_name = caller_name
        self.catalogues = catalogues if catalogues is not None else default_catalogues()
        """The app's words: the search finds a family's language by its name in each."""
        self.status: SyncStatus = sync.status if sync is not None else SyncStatus(online=False)
        self.corrections = HouseholdCorrections(store)
        """New numbers, wrong ones, the family's language and notes (the call screen's)."""
        self.platform: str | None = None
        """The phone's platform as Flet names it ("ios", "android" …): whether its dialler
        takes a caller-ID code from a link."""

    # -- who ------------------------------------------------------------------------------

    @property
    def caller(self) -> Caller | None:
        identity = self.store.identity
        return identity.caller if identity else None

    @property
    def caller_name(self) -> str:
        caller = self.caller
        return caller.name if caller else self._caller_name

    @property
    def zone(self) -> tzinfo:
        """The caller's clock: their campaign's time zone.

        A browser does not tell the server its zone (and Pyodide runs on UTC), so "today"
        and the times shown follow the campaign, which callers share with their families.
        """
        campaigns = self.store.campaigns()
        if campaigns:
            return household_zone(None, campaigns[0].timezone)
        return datetime.now().astimezone().tzinfo or UTC

    @property
    def joined(self) -> bool:
        return self.practice or self.store.identity is not None

    @property
    def rejoin_needed(self) -> bool:
        identity = self.store.identity
        return bool(identity and identity.rejoin_needed)

    async def join(self, code: str) -> Caller:
        """Redeem an invite code, then sync once so the list is there at once.

        InvalidInvite / TooManyAttempts for a code the server refuses; TransientSyncError
        when the server cannot be reached. A failed first sync does not undo the join:
        the status says why, and the loop tries again.
        """
        if self.sync is None:
            raise InvalidInvite(
                "Practice mode cannot join a phone bank", key="error.practice_cannot_join"
            )
        code = code.strip()
        if not code:
            raise InvalidInvite("Type the invite code you were given", key="error.type_invite_code")
        caller = await self.sync.join(self.server_url, code, self.device_name)
        await self.sync_now()
        return caller

    async def sign_out_and_erase(self, *, unsent_work_lost_is_ok: bool = False) -> int:
        """Erase this phone: every family, script, note and event on it and its database
        file; the server is told and signs the device out. Returns how many unsent events
        were erased.

        Syncs first, so nothing is lost when the server can be reached. Work still unsent
        after that (offline, or refused by the server) raises ``UnsentWorkWouldBeLost``
        (with its ``count``) unless ``unsent_work_lost_is_ok``: the caller's second yes.
        """
        if self.sync is None:
            raise PhonebankError(
                "Practice mode has nothing to erase", key="error.practice_cannot_erase"
            )
        if self.store.identity is not None and not self.rejoin_needed:
            await self.sync_now()
        unsent, _ = self.store.unsent()
        if unsent and not unsent_work_lost_is_ok:
            raise UnsentWorkWouldBeLost(count=unsent)
        await self.sync.erase()
        return unsent

    def families_hidden_after(self) -> int | None:
        """The campaign's "hide families after N days without sync" when this device has
        passed it (its families are hidden until a sync succeeds), else None.

        The shortest setting among the device's campaigns wins. A device that never
        recorded a sync (joined before this rule) and practice mode never hide.
        """
        if self.practice or self.store.identity is None:
            return None
        synced = self.store.last_synced_at
        campaigns = self.store.campaigns()
        if synced is None or not campaigns:
            return None
        days = min(campaign.hide_families_after_days for campaign in campaigns)
        now = self.clock()
        now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
        return days if now - synced > timedelta(days=days) else None

    async def sync_now(self) -> SyncReport | None:
        """Push and pull now; None when it could not (the status says why)."""
        if self.sync is None:
            return None
        try:
            return await self.sync.sync_once()
        except SyncError as error:
            log.info("sync failed: %s", error.message)
            return None

    # -- the list -------------------------------------------------------------------------

    def my_list(self, filters: ListFilters | None = None) -> MyList:
        filters = filters or ListFilters()
        if self.families_hidden_after() is not None:
            return MyList(groups=(), languages=(), tags=(), total=0)
        now = self.clock()
        listed = self.store.households_for_list(now=now)
        campaigns = {campaign.id: campaign for campaign in self.store.campaigns()}
        catalogues = {
            campaign_id: {d.code: d for d in dispositions_for(campaign)}
            for campaign_id, campaign in campaigns.items()
        }
        rows = [
            (
                item.household,
                self._row(item, campaigns[item.campaign_id], catalogues[item.campaign_id], now),
            )
            for item in listed
            if item.campaign_id in campaigns
        ]
        languages = tuple(sorted({row.language for _, row in rows}))
        tags = tuple(sorted({tag for _, row in rows for tag in row.tags}, key=str.casefold))
        search = ListSearch.parse(filters.text)

        def names(language: LanguageCode) -> set[str]:
            return language_names(language, self.catalogues)

        shown = [
            row
            for household, row in rows
            if _picked(row, filters) and (not search or search.matches(household, names))
        ]
        groups = tuple(
            ListGroup(group, tuple(row for row in shown if row.group == group))
            for group in GROUPS
            if any(row.group == group for row in shown)
        )
        return MyList(groups=groups, languages=languages, tags=tags, total=len(rows))

    def next_household(self, after: tuple[str, str] | None = None) -> HouseholdRow | None:
        """The household to call next: the list's order, skipping the one just called,
        done ones, do-not-call ones, callbacks whose time has not come and families outside
        their calling hours (``next_opening`` says when the first of those opens)."""
        return next(
            (row for row in self._still_to_call(after) if row.hours is None or row.hours.allowed),
            None,
        )

    def next_opening(self, after: tuple[str, str] | None = None) -> datetime | None:
        """When the calling hours of the first family now outside them open (aware, in
        that family's zone): what to tell a caller when ``next_household`` finds no one."""
        openings = [
            row.hours.opens_at
            for row in self._still_to_call(after)
            if row.hours is not None and row.hours.opens_at is not None
        ]
        return min(openings, default=None)

    def _still_to_call(self, after: tuple[str, str] | None) -> Iterator[HouseholdRow]:
        for group in self.my_list().groups:
            for row in group.rows:
                if row.key == after or row.group == "done" or row.do_not_call:
                    continue
                if row.group == "callback" and not row.callback_is_due:
                    continue
                yield row

    def dial(self, campaign_id: str, household_id: str, phone: str, reason: str = "") -> str:
        """The ``tel:`` link for calling ``phone`` now. Outside the family's calling hours
        the caller must give ``reason`` (recorded with the outcome), and a campaign may
        forbid such calls: both refused with ``OutsideCallingHours``."""
        campaign, household = self._campaign_household(campaign_id, household_id)
        _refuse_opted_out(household, "call")
        hours = calling_hours(self.clock(), household, campaign)
        if not hours.allowed:
            if campaign.calling_window.after_hours == "never":
                raise OutsideCallingHours(
                    "This campaign does not call outside calling hours",
                    key="error.no_calls_outside_hours",
                )
            if not reason.strip():
                raise OutsideCallingHours(
                    "Say why you are calling outside calling hours",
                    key="error.say_why_outside_hours",
                )
        prefix, _ = self._caller_id_hiding(campaign)
        return tel_link(phone, prefix)

    def _row(
        self,
        item: ListedHousehold,
        campaign: Campaign,
        catalogue: Mapping[str, Disposition],
        now: datetime,
    ) -> HouseholdRow:
        household, state = item.household, item.state
        return HouseholdRow(
            campaign_id=item.campaign_id,
            household_id=household.id,
            name=household.name,
            language=household.language,
            tags=tuple(household.tags),
            group=state.group,
            attempts=state.attempts,
            last_disposition=state.last_disposition,
            last_outcome=catalogue.get(state.last_disposition or ""),
            callback_due_at=state.callback_due_at,
            callback_is_due=state.callback_is_due,
            hours=_calling_hours(now, household, campaign, state.group),
            do_not_call=household.do_not_call,
        )

    # -- one household --------------------------------------------------------------------

    def open_household(
        self,
        campaign_id: str,
        household_id: str,
        language: LanguageCode | None = None,
        needs: Iterable[str] = (),
    ) -> CallSheet:
        """The call screen for a household: the script in ``language`` (else the family's),
        with the sections for the family's tags and for the ``needs`` ticked on this call."""
        campaign, household = self._campaign_household(campaign_id, household_id)
        scripts = self.store.scripts_for(campaign_id)
        script = choose_script(scripts, language or household.language, campaign.default_language)
        rendered = script_for(
            scripts, household, campaign, self.caller_name, language=language, needs=needs
        )
        catalogue = dispositions_for(campaign)
        quick = tuple(d for code in QUICK_CODES for d in catalogue if d.code == code)
        more = tuple(d for d in catalogue if d.code not in QUICK_CODES)
        now = self.clock()
        state = self.store.household_state(campaign_id, household_id, now)
        text_script = choose_script(scripts, household.language, campaign.default_language)
        texts = tuple(
            TextOption(
                template.id,
                template.label,
                *render_text(
                    template,
                    household,
                    campaign,
                    self.caller_name,
                    language=text_script.language if text_script else None,
                ),
            )
            for template in (text_script.text_templates if text_script else [])
        )
        script_languages = tuple(dict.fromkeys(s.language for s in scripts))
        prefix, caller_id = self._caller_id_hiding(campaign)
        return CallSheet(
            campaign=campaign,
            household=household,
            caller_name=self.caller_name,
            script=rendered,
            script_languages=script_languages,
            phones=tuple(
                PhoneChoice(
                    phone.number,
                    phone.label,
                    phone.bad,
                    tel_link(phone.number, prefix),
                )
                for phone in household.phones
            ),
            quick_outcomes=quick,
            more_outcomes=more,
            text_options=texts,
            text_language=text_script.language if text_script else None,
            needs=_needs(scripts, household),
            resources=_resources(script, household) if script else (),
            hours=_calling_hours(now, household, campaign, state.group if state else None),
            history=tuple(self.store.outcomes_for(household_id)),
            open_follow_ups=tuple(
                f
                for f in self.store.follow_ups()
                if f.household_id == household_id and f.campaign_id == campaign_id
            ),
            callback_choices=tuple(
                callback_choices(now, household_zone(household.timezone, campaign.timezone))
            ),
            language_choices=tuple(
                lang
                for lang in dict.fromkeys(
                    (*script_languages, *COMMON_LANGUAGES, *HANDOFF_LANGUAGES)
                )
                if lang.split("-")[0] != household.language.split("-")[0]
            ),
            caller_id=caller_id,
        )

    def _caller_id_hiding(self, campaign: Campaign) -> tuple[str | None, CallerIdHiding]:
        """The code the call button dials first, and what the call screen says about it."""
        prefix = campaign.caller_id_prefix
        if not prefix:
            return None, None
        if dials_codes(self.platform):
            return prefix, "hidden"
        return None, "cannot_hide"

    def _campaign_household(
        self, campaign_id: str, household_id: str
    ) -> tuple[Campaign, Household]:
        campaign = self.store.campaign(campaign_id)
        household = self.store.household(household_id)
        if campaign is None or household is None:
            raise NotFound("That household is no longer on your list", key="error.not_found")
        return campaign, household

    # -- recording ------------------------------------------------------------------------

    def record_outcome(self, draft: OutcomeDraft) -> SavedOutcome:
        """Save one attempt in the outbox (one transaction), then close the household's
        earlier callbacks: this call answered them.

        Answers are typed against the questions of the script shown (``script_language``)
        and InvalidAnswer names the first that does not fit. A disposition that asks for
        more raises OutcomeIncomplete until it has it.
        """
        campaign, household = self._campaign_household(draft.campaign_id, draft.household_id)
        chosen = disposition_by_code(campaign, draft.disposition)  # the device's one check
        _require_detail(chosen, draft)
        typed = {}
        referrals: list[str] = []
        if draft.answers:
            scripts = self.store.scripts_for(campaign.id)
            shown = script_for(
                scripts,
                household,
                campaign,
                self.caller_name,
                language=draft.script_language,
                needs=draft.needs_found,
            )
            questions = shown.questions if shown else []
            labels = choice_labels([script.questions for script in scripts])
            typed = typed_answers(questions, draft.answers, labels)
            referrals = _referrals_opened(questions, typed, scripts, campaign.default_language)
        # A call answers the household's earlier callbacks; a text does not.
        answered = [
            f.id
            for f in self.store.follow_ups()
            if f.household_id == household.id
            and f.campaign_id == campaign.id
            and f.kind == "callback"
            and draft.channel in ("call", "inbound_call")
        ]
        event = self.store.record_outcome(
            replace(draft, answers=typed, notes=draft.notes.strip()),
            chosen,
            closes_follow_ups=answered,
            closing_note=f"Called: {chosen.label}",
        )
        open_referrals = {
            f.detail
            for f in self.store.follow_ups()
            if f.household_id == household.id
            and f.campaign_id == campaign.id
            and f.kind == "referral"
        }
        for detail in referrals:
            if detail not in open_referrals:  # a corrected outcome does not ask twice
                self.store.schedule_callback(
                    campaign.id, household.id, None, detail=detail, kind="referral"
                )
        return SavedOutcome(event, chosen, draft.channel)

    def schedule_follow_up(
        self,
        campaign_id: str,
        household_id: str,
        due_at: datetime | None,
        *,
        detail: str = "",
        kind: FollowUpKind = "callback",
    ) -> Event:
        """A callback at ``due_at`` or a referral (something to deliver or answer)."""
        self._campaign_household(campaign_id, household_id)
        if kind == "callback" and due_at is None:
            raise OutcomeIncomplete("Pick when to call back", key="error.pick_callback_time")
        if kind == "referral" and not detail.strip():
            raise OutcomeIncomplete("Say what the family needs", key="error.say_what_is_needed")
        return self.store.schedule_callback(
            campaign_id, household_id, due_at, detail=detail.strip(), kind=kind
        )

    def text_household(
        self,
        campaign_id: str,
        household_id: str,
        template_id: str,
        phone: str | None = None,
    ) -> SavedOutcome:
        """Log a text in the family's language and return the ``sms:`` link that opens the
        phone's messaging app with it. Refused for a family that opted out of texts."""
        campaign, household = self._campaign_household(campaign_id, household_id)
        _refuse_opted_out(household, "text")
        script = choose_script(
            self.store.scripts_for(campaign_id), household.language, campaign.default_language
        )
        template = next(
            (t for t in (script.text_templates if script else []) if t.id == template_id), None
        )
        if template is None:
            raise NothingToText()
        number = phone or next((p.number for p in household.callable_phones), None)
        if number is None:
            raise OutcomeIncomplete(
                "This family has no number that works", key="error.no_working_number"
            )
        body, _missing = render_text(
            template,
            household,
            campaign,
            self.caller_name,
            language=script.language if script else None,
        )
        chosen = disposition_by_code(campaign, _text_disposition(campaign))
        draft = OutcomeDraft(
            campaign_id,
            household_id,
            chosen.code,
            channel="text",
            phone=number,
            notes=f"Text: {template.label}",
        )
        event = self.store.record_outcome(draft, chosen)
        return SavedOutcome(event, chosen, "text", sms_link(number, body))

    def opt_out(self, campaign_id: str, household_id: str, channel: OptOutChannel) -> Event | None:
        """The family asked not to be called (``call``) or texted (``text``): recorded as
        an event that syncs, and from this moment ``dial`` or ``text_household`` refuses
        that channel. None when the family had opted out of it already."""
        _, household = self._campaign_household(campaign_id, household_id)
        if opted_out(household, channel):
            return None
        return self.store.record_opt_out(campaign_id, household_id, channel)

    def log_inbound(
        self,
        campaign_id: str,
        household_id: str,
        channel: Channel,
        *,
        disposition: str = INBOUND_DISPOSITION,
        notes: str = "",
    ) -> SavedOutcome:
        """The family called or texted back."""
        if channel not in ("inbound_call", "inbound_text"):
            raise ValueError(f"Not an inbound channel: {channel!r}")
        return self.record_outcome(
            OutcomeDraft(campaign_id, household_id, disposition, channel=channel, notes=notes)
        )

    def close_follow_up(self, follow_up_id: str, resolution: str = "") -> Event:
        return self.store.close_follow_up(follow_up_id, resolution.strip())

    # -- announcements ---------------------------------------------------------------------

    def announcements(self) -> list[Announcement]:
        """The supervisors' messages to me I have not marked read yet, newest first."""
        return self.store.announcements()

    def mark_announcement_read(self, announcement_id: str) -> Event:
        """ "Got it": the message leaves this device at once and, once synced, my other
        devices and the console's list of who read it."""
        return self.store.mark_announcement_read(announcement_id)

    # -- follow-ups and stats ----------------------------------------------------------------

    def follow_ups(self) -> list[FollowUpRow]:
        """My open callbacks and referrals, due first (those without a time last); none
        while the families are hidden (no reminder names a family then either)."""
        if self.families_hidden_after() is not None:
            return []
        now = self.clock()
        caller_id = self.store.caller_id
        campaigns = {campaign.id: campaign for campaign in self.store.campaigns()}
        rows = []
        for follow_up in self.store.follow_ups():
            if follow_up.caller_id not in (None, "", caller_id):
                continue
            household = self.store.household(follow_up.household_id)
            campaign = campaigns.get(follow_up.campaign_id)
            if household is None or campaign is None:
                continue
            rows.append(
                FollowUpRow(
                    follow_up=follow_up,
                    household_name=household.name,
                    campaign_name=campaign.name,
                    is_due=follow_up.due_at is not None and follow_up.due_at <= now,
                )
            )
        return rows

    def callbacks_due(self) -> int:
        """How many of my callbacks are due now: the banner on my list, the count on the
        Follow-ups tab."""
        return sum(
            1 for row in self.follow_ups() if row.is_due and row.follow_up.kind == "callback"
        )

    def stats(self) -> StatsSheet:
        stats = self.store.stats(now=self.clock().astimezone(self.zone))
        today, week = stats.today, stats.this_week
        # The first that applies, with the number its plural form follows ({count}).
        cheer, count = next(
            (key, number)
            for key, number in (
                ("stats.cheer.completed", today.completed),
                ("stats.cheer.conversations", today.conversations),
                ("stats.cheer.calls", today.calls),
                ("stats.cheer.week", week.calls),
                ("stats.cheer.start", 1),
            )
            if number
        )
        values = {"count": count}
        return StatsSheet(today=today, this_week=week, cheer=cheer, cheer_values=values)


def _refuse_opted_out(household: Household, channel: OptOutChannel) -> None:
    if opted_out(household, channel):
        raise OPTED_OUT[channel]()


def _picked(row: HouseholdRow, filters: ListFilters) -> bool:
    """Whether the row has the language and the need picked with the chips."""
    if filters.language and row.language.split("-")[0] != filters.language.split("-")[0]:
        return False
    return not filters.tag or filters.tag.casefold() in {t.casefold() for t in row.tags}


def _require_detail(disposition: Disposition, draft: OutcomeDraft) -> None:
    match disposition.asks_for:
        case "callback_time" if draft.callback_at is None:
            raise OutcomeIncomplete("Pick when to call back", key="error.pick_callback_time")
        case "language" if not draft.language_needed:
            raise OutcomeIncomplete("Pick the language the family needs", key="error.pick_language")
        case "bad_number" if not draft.phone:
            raise OutcomeIncomplete(
                "Pick the number that did not work", key="error.pick_bad_number"
            )


def _text_disposition(campaign: Campaign) -> str:
    codes = {d.code for d in dispositions_for(campaign)}
    return TEXT_DISPOSITION if TEXT_DISPOSITION in codes else TEXT_FALLBACK_DISPOSITION


def _need_tags(script: Script) -> list[str]:
    tags = [tag for section in script.sections for tag in section.when_tags]
    tags += [tag for question in script.questions for tag in question.when_tags]
    return tags


def _needs(scripts: list[Script], household: Household) -> tuple[str, ...]:
    tags = [tag for script in scripts for tag in _need_tags(script)] + list(household.tags)
    return tuple(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))


def _calling_hours(
    now: datetime, household: Household, campaign: Campaign, group: Group | None
) -> CallingHours | None:
    """The family's calling hours, or None when it needs no more calls (done, or asked not
    to be called): a finished family shows no "too early" warning."""
    if group == "done" or household.do_not_call:
        return None
    return calling_hours(now, household, campaign)


def _resources(script: Script, household: Household) -> tuple[tuple[str, str], ...]:
    """The script's need-specific sections (those with ``when_tags``), the household's
    own needs first: what a caller may share. Needs ticked on the call do not reorder
    them: a chip must not move under the caller's finger."""
    tags = {tag.casefold() for tag in household.tags}
    sections = [s for s in script.sections if s.when_tags]
    sections.sort(key=lambda s: not tags.intersection(t.casefold() for t in s.when_tags))
    return tuple((section.id, section.title or section.id) for section in sections)


def _referrals_opened(
    questions: list[SurveyQuestion],
    answers: Mapping[str, object],
    scripts: Sequence[Script],
    default_language: str,
) -> list[str]:
    """The follow-ups a yes opens (``opens_follow_up``), worded as in the campaign's
    default-language script when it has the question, so the coordinator reads one language."""
    default = next((s for s in scripts if s.language == default_language), None)
    worded = {q.id: q.opens_follow_up for q in (default.questions if default else [])}
    return [
        worded.get(question.id) or question.opens_follow_up
        for question in questions
        if question.opens_follow_up
        and question.type == "yes_no"
        and answers.get(question.id) is True
    ]
