"""The words of DESIGN.md as pydantic models: what a campaign, household, script… is.

These are shared by the device, the wire and the server; nothing here knows about
storage or transport.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .field_roles import Exported, FromCsv, ShownToCaller
from .limits import (
    MAX_CHOICES,
    MAX_DISPOSITIONS,
    MAX_LANGUAGES,
    MAX_MEMBERS,
    MAX_PHONES,
    MAX_SCRIPT_ITEMS,
    MAX_VARIABLES,
    Key,
    Line,
    Name,
    Note,
    ScriptText,
    ShortText,
    Tags,
)

LanguageCode = ShortText
"""A BCP-47 language tag such as ``en``, ``es``, ``zh-Hant``, ``vi`` or ``ar``."""

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku-arab", "sd"})


def text_direction(language: LanguageCode) -> Literal["ltr", "rtl"]:
    """Whether text in this language is laid out right to left."""
    base = language.lower()
    return "rtl" if base in RTL_LANGUAGES or base.split("-")[0] in RTL_LANGUAGES else "ltr"


class Model(BaseModel):
    """Base for every model: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PhoneNumber(Model):
    number: ShortText = Field(description="E.164, e.g. +15105550123; an extension as ;ext=12")
    label: ShortText = "mobile"
    bad: bool = Field(False, description="Marked wrong or disconnected by a caller")


class Member(Model):
    name: Name
    role: Literal["guardian", "student", "other"] = "guardian"
    grade: ShortText | None = None
    school: Name | None = None


NoteKind = Literal["note", "handoff"]
MAX_HOUSEHOLD_NOTES = 100
"""Notes a household carries to devices, newest kept; the server's events keep them all."""


class HouseholdNote(Model):
    """What a caller learned about a family, for whoever calls it next (any campaign)."""

    id: Key = Field(description="The id of the event that added it")
    text: Note
    caller_id: Key | None = None
    caller_name: Name = ""
    recorded_at: datetime = Field(description="When the caller wrote it (their device's clock)")
    campaign_id: Key | None = None
    kind: NoteKind = Field("note", description="handoff: the server handed the family over")
    handed_to: Key | None = Field(None, description="For a handoff: the caller who now has it")
    language: LanguageCode | None = Field(None, description="For a handoff: what the family needs")


class Household(Model):
    """A family to call. Fields marked FromCsv are read by the importer, Exported go to the
    outcomes export, ShownToCaller appear on the call screen (see field_roles)."""

    id: Key
    name: Annotated[Name, Exported("household")] = Field(
        description="How the family is addressed, e.g. 'García family'"
    )
    phones: list[PhoneNumber] = Field(default_factory=list, max_length=MAX_PHONES)
    language: Annotated[
        LanguageCode,
        FromCsv(
            "Language|Home Language|Idioma|Preferred Language|Primary Language|"
            "Language Spoken|Lang|Lengua|Idioma preferido|Idioma del hogar|Idioma de casa|"
            "Parent Language|Family Language|Correspondence Language|Language Preference",
            "Language",
            shown_first=True,
        ),
        Exported(),
    ] = "en"
    members: list[Member] = Field(default_factory=list, max_length=MAX_MEMBERS)
    tags: Annotated[
        Tags,
        FromCsv(
            "Needs|Need|Tags|Tag|Necesidades|Necesidad|Etiquetas|Etiqueta|Flags",
            "Needs / tags",
            shown_first=True,
        ),
    ] = Field(default_factory=list, description="Needs and tags, e.g. no-device")
    school: Annotated[
        Name | None,
        FromCsv(
            "School|School Name|Escuela|Site|Campus|Colegio|Nombre de la escuela",
            "School",
            shown_first=True,
        ),
        Exported(),
    ] = None
    timezone: Annotated[
        ShortText | None, FromCsv("Timezone|Time Zone|TZ|Zona horaria", "Time zone")
    ] = Field(None, description="IANA zone; the campaign's when unknown")
    address: Annotated[
        Line | None,
        FromCsv(
            "Address|Home Address|Street Address|Mailing Address|Residential Address|"
            "Dirección|Domicilio",
            "Address",
        ),
    ] = None
    external_id: Annotated[
        ShortText | None,
        FromCsv(
            "Student ID|Student Number|Family ID|Household ID|External ID|ID|SID|Local ID|"
            "State ID|ID del estudiante|ID de estudiante|Número de estudiante|ID de familia",
            "External id",
            shown_first=True,
            keeps_first=True,
        ),
        Exported(),
    ] = Field(None, description="The id in the source system")
    preferred_contact_time: Annotated[
        Line | None,
        FromCsv(
            "Preferred Contact Time|Best Time to Call|Best Time|Call Time|Contact Time|"
            "Preferred Time|Mejor hora para llamar|Mejor hora|Hora preferida|Horario preferido",
            "Best time to call",
        ),
        Exported(),
        ShownToCaller(),
    ] = Field(None, description="When the family prefers a call, in its words: 'after 6pm'")
    do_not_call: Annotated[
        bool, FromCsv("Do Not Call|DNC|No llamar|No Call|No Calls", "Do not call"), Exported()
    ] = False
    text_opt_out: Annotated[
        bool,
        FromCsv(
            "Text Opt Out|SMS Opt Out|No Text|No Texts|Opt Out Text|Opted Out of Texts|"
            "No SMS|No mensajes|No textos",
            "No texts",
        ),
        Exported(),
    ] = False
    notes: list[HouseholdNote] = Field(
        default_factory=list,
        max_length=MAX_HOUSEHOLD_NOTES,
        description="Callers' notes about the family, oldest first (app.core.household_notes)",
    )

    @property
    def callable_phones(self) -> list[PhoneNumber]:
        return [phone for phone in self.phones if not phone.bad]

    @property
    def students(self) -> list[Member]:
        return [member for member in self.members if member.role == "student"]

    @property
    def guardians(self) -> list[Member]:
        return [member for member in self.members if member.role == "guardian"]


AfterHours = Literal["with_reason", "never"]
"""Whether a caller may call a family outside its calling hours: after giving a reason
(recorded with the outcome), or not at all."""


class CallingWindow(Model):
    start: time = time(9, 0)
    end: time = time(20, 0)
    after_hours: AfterHours = Field(
        "with_reason",
        description="Outside the window: call after giving a reason, or never",
    )


DispositionPrompt = Literal["callback_time", "language", "bad_number"]
"""What the caller adds on a second tap; ``bad_number`` asks which number did not work."""


class DispositionEffects(Model):
    """What recording a disposition does to the household, on the device and the server."""

    marks_number_bad: bool = Field(
        False, description="The number called is wrong or disconnected: mark it bad"
    )
    opts_out: bool = Field(False, description="The family asked not to be called again")


# Before dispositions carried their effects as flags, these codes had them by code alone;
# a disposition stored then (a campaign's own version of one) keeps that meaning.
_EFFECTS_BY_CODE_BEFORE_FLAGS = {
    "wrong_number": "marks_number_bad",
    "disconnected": "marks_number_bad",
    "do_not_call": "opts_out",
}


class Disposition(DispositionEffects):
    code: Key
    label: ShortText
    labels: dict[LanguageCode, ShortText] = Field(default_factory=dict, max_length=MAX_LANGUAGES)
    reached: bool = Field(False, description="A conversation happened")
    complete: bool = Field(False, description="The campaign's goal was met")
    retry: bool = Field(False, description="Try the household again later")
    final: bool = Field(False, description="Do not call this household again in the campaign")
    asks_for: DispositionPrompt | None = Field(
        None, description="What the caller must add on a second tap"
    )

    @model_validator(mode="before")
    @classmethod
    def _effects_stored_before_flags(cls, data: Any) -> Any:
        """A disposition stored without its flags means what it meant then: asking which
        number did not work marked it bad, and a few codes had their effect by code."""
        if not isinstance(data, dict) or "marks_number_bad" in data or "opts_out" in data:
            return data
        implied = _EFFECTS_BY_CODE_BEFORE_FLAGS.get(data.get("code", ""))
        if data.get("asks_for") == "bad_number":
            implied = "marks_number_bad"
        return {**data, implied: True} if implied else data

    @model_validator(mode="after")
    def _asks_for_a_number_it_marks_bad(self) -> Disposition:
        if self.asks_for == "bad_number" and not self.marks_number_bad:
            raise ValueError("An outcome that asks which number did not work marks it bad")
        return self

    @property
    def effects(self) -> DispositionEffects:
        return DispositionEffects(marks_number_bad=self.marks_number_bad, opts_out=self.opts_out)

    def label_in(self, language: LanguageCode) -> str:
        return self.labels.get(language) or self.label


CampaignKind = Literal["standard", "daily_attendance"]


class CampaignDraft(Model):
    """A campaign as a supervisor writes it; the server gives it its id."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: Name
    kind: CampaignKind = "standard"
    default_language: LanguageCode = "en"
    timezone: ShortText = "America/Los_Angeles"
    calling_window: CallingWindow = Field(default_factory=CallingWindow)
    caller_id_prefix: ShortText | None = Field(
        None, description="Dialled before the number, e.g. *67"
    )
    dispositions: list[Disposition] = Field(
        default_factory=list,
        max_length=MAX_DISPOSITIONS,
        description="The campaign's own outcomes: new codes, or its version of a default one",
    )
    variables: dict[Key, Line] = Field(
        default_factory=dict,
        max_length=MAX_VARIABLES,
        description="Campaign-wide placeholders: school, address, date…",
    )
    starts_on: date | None = None
    ends_on: date | None = None
    active: bool = True
    anonymise_after_days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="Retention: remove the families' personal data this many days after the "
        "campaign closes (made inactive, or its ends_on day over); None: keep",
    )
    hide_families_after_days: int = Field(
        14,
        ge=1,
        le=365,
        description="A caller's device that has not synced for this many days hides this "
        "campaign's families until it syncs again (a lost phone left in a drawer)",
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_what_the_server_computes(cls, data: Any) -> Any:
        """A campaign as the API answers it (reports.CampaignInfo) may be sent back as it
        came: its computed ``effective_dispositions`` is not the supervisor's to set."""
        if isinstance(data, dict) and _COMPUTED in data and _COMPUTED not in cls.model_fields:
            return {name: value for name, value in data.items() if name != _COMPUTED}
        return data


_COMPUTED = "effective_dispositions"


class Campaign(CampaignDraft):
    id: Key


class ScriptSection(Model):
    id: Key
    title: Name = ""
    body: ScriptText = Field(description="Text with {placeholders}")
    when_tags: Tags = Field(
        default_factory=list, description="Shown only to households with one of these tags"
    )


QuestionType = Literal["yes_no", "choice", "number", "text"]


def choice_id(label: str) -> str:
    """The id a plain-string choice gets: its words, lower case, joined by hyphens."""
    return re.sub(r"[\W_]+", "-", label.casefold()).strip("-") or label.strip()


class Choice(Model):
    """One answer a choice question offers: ``id`` is what is stored and exported, the same
    in every language's script; ``label`` is what the caller sees, in the script's language."""

    id: Key
    label: ShortText


class SurveyQuestion(Model):
    id: Key
    prompt: Line
    type: QuestionType = "text"
    choices: list[Choice] = Field(default_factory=list, max_length=MAX_CHOICES)
    when_tags: Tags = Field(default_factory=list)
    required: bool = False
    opens_follow_up: ShortText | None = Field(
        None,
        description="yes_no only: a yes also schedules a referral follow-up with this text",
    )

    @field_validator("choices", mode="before")
    @classmethod
    def _plain_choices(cls, value: Any) -> Any:
        """Older scripts and clients give plain strings: each becomes a choice with a slug id."""
        if not isinstance(value, list):
            return value
        return [
            {"id": choice_id(item), "label": item} if isinstance(item, str) else item
            for item in value
        ]


class TextTemplate(Model):
    id: Key
    label: ShortText
    body: Note = Field(description="SMS text with {placeholders}")


class ScriptDraft(Model):
    """A script for one campaign and language, as a supervisor writes it."""

    language: LanguageCode
    title: Name = ""
    sections: list[ScriptSection] = Field(default_factory=list, max_length=MAX_SCRIPT_ITEMS)
    questions: list[SurveyQuestion] = Field(default_factory=list, max_length=MAX_SCRIPT_ITEMS)
    text_templates: list[TextTemplate] = Field(default_factory=list, max_length=MAX_SCRIPT_ITEMS)


class Script(ScriptDraft):
    id: Key
    campaign_id: Key


Role = Literal["caller", "supervisor"]


class Caller(Model):
    id: Key
    name: Name
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], max_length=MAX_LANGUAGES)
    role: Role = "caller"
    active: bool = True


class Assignment(Model):
    campaign_id: Key
    household_id: Key
    caller_id: Key | None
    assigned_at: datetime | None = None


FollowUpKind = Literal["callback", "referral"]


class FollowUp(Model):
    id: Key
    campaign_id: Key
    household_id: Key
    caller_id: Key | None = None
    kind: FollowUpKind = "callback"
    due_at: datetime | None = None
    detail: Note = ""
    status: Literal["open", "closed"] = "open"
    created_at: datetime
    closed_at: datetime | None = None
    resolution: Note = ""


Channel = Literal["call", "text", "inbound_call", "inbound_text"]


class OutcomeSummary(Model):
    """One past attempt on a household, as a device sees it in the household's history."""

    event_id: Key
    campaign_id: Key
    household_id: Key
    caller_id: Key
    disposition: Key
    channel: Channel = "call"
    notes: Note = ""
    recorded_at: datetime
