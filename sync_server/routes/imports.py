"""Households in from a CSV (with a preview first) and a campaign's outcomes out as CSV.

The CSV is the raw request body (``Content-Type: text/csv``), not a form upload, so no
multipart parser is needed; the import runs in a worker thread and is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any
from zoneinfo import available_timezones

import phonenumbers
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from app.core.errors import InvalidPhoneNumber, UnreadableCsv
from app.core.imports import ColumnMapping, ImportPreview, ImportReport
from app.core.models import Campaign
from app.core.phones import area_code

from .. import audited, importer
from ..assignment import apply_plan, plan_assignment
from ..audit import Actor
from ..auth import SupervisorIdentity
from ..campaigns import campaign_by_reference
from ..csv_reading import ENCODINGS, encoding_named
from ..db import Store
from ..deps import StoreDep, SupervisorDep
from ..export import export_outcomes_csv
from .csv_files import CSV_FILE, csv_file

router = APIRouter(prefix="/api/v1/admin", tags=["import & export"])

_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The CSV file itself: UTF-8 (with or without BOM), UTF-16, "
        "Windows-1252 or another encoding (see ``encoding``); comma, semicolon or tab "
        "separated; the first line a header row.",
        "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
    }
}

Region = Annotated[
    str, Query(description="Region for numbers written without +country code (ISO 3166)")
]
Language = Annotated[str, Query(description="Language of households whose row gives none")]
Timezone = Annotated[str | None, Query(description="IANA zone for households whose row gives none")]
Encoding = Annotated[
    str | None,
    Query(
        description="The file's encoding; empty or 'auto': decided from the whole file. One of "
        + ", ".join(f"{code} ({label})" for code, label in ENCODINGS.items())
    ),
]
AreaCode = Annotated[
    str | None,
    Query(description="Area code put before numbers written without one (7 digits: 555-0123)"),
]
Mapping = Annotated[
    str | None,
    Query(
        description="A ColumnMapping as JSON (header names per field) to use instead of "
        'the detected one, e.g. {"name": "Apellido", "phones": ["Tel 1", "Tel 2"]}'
    ),
]


def _invalid(*problems: tuple[tuple[str | int, ...], str]) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", *loc), "msg": msg, "type": "value_error"} for loc, msg in problems]
    )


def _mapping(text: str | None) -> ColumnMapping | None:
    if not text:
        return None
    try:
        return ColumnMapping.model_validate_json(text)
    except ValidationError as error:
        raise _invalid(
            *((("mapping", *problem["loc"]), problem["msg"]) for problem in error.errors())
        ) from error


def _defaults(region: str, timezone: str | None) -> tuple[str, str | None]:
    """The region upper-cased and both checked, before a big file is read for nothing."""
    if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise _invalid((("default_region",), f"{region!r} is not a region code such as US"))
    if timezone and timezone not in available_timezones():
        raise _invalid((("default_timezone",), f"{timezone!r} is not an IANA time zone"))
    return region.upper(), timezone or None


def _reading(encoding: str | None, code: str | None, region: str) -> tuple[str | None, str | None]:
    """The encoding's codec name and the area code's digits, checked like the defaults."""
    try:
        codec = encoding_named(encoding)
    except ValueError as error:
        raise _invalid((("encoding",), str(error))) from None
    try:
        return codec, area_code(code, region) if code else None
    except InvalidPhoneNumber as error:
        raise _invalid((("default_area_code",), error.message)) from None


async def _csv_body(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/"):
        raise UnreadableCsv(
            "Send the CSV file itself as the request body (Content-Type: text/csv), "
            "not as a form upload"
        )
    return await request.body()


@dataclass(frozen=True)
class CsvUpload:
    """A CSV sent for import, with the defaults and column mapping to read it by."""

    data: bytes
    mapping: ColumnMapping | None
    default_region: str
    default_language: str
    default_timezone: str | None
    encoding: str | None = None
    default_area_code: str | None = None

    def reading(self) -> dict[str, Any]:
        """How to read the file: the keywords import_households and preview_import share."""
        return {
            "mapping": self.mapping,
            "default_region": self.default_region,
            "default_language": self.default_language,
            "default_timezone": self.default_timezone,
            "encoding": self.encoding,
            "default_area_code": self.default_area_code,
        }


async def csv_upload(
    request: Request,
    default_region: Region = "US",
    default_language: Language = "en",
    default_timezone: Timezone = None,
    mapping: Mapping = None,
    encoding: Encoding = None,
    default_area_code: AreaCode = None,
) -> CsvUpload:
    """The query's mapping and defaults checked first, then the body read (a big file is
    not read for nothing)."""
    column_mapping = _mapping(mapping)
    region, timezone = _defaults(default_region, default_timezone)
    codec, code = _reading(encoding, default_area_code, region)
    data = await _csv_body(request)
    return CsvUpload(data, column_mapping, region, default_language, timezone, codec, code)


def _campaign(store: Store, reference: str) -> Campaign:
    with store.reading() as db:
        return campaign_by_reference(db, reference)


@router.post(
    "/campaigns/{campaign_id}/households/import",
    response_model=ImportReport,
    summary="Import households into a campaign",
    openapi_extra=_CSV_BODY,
)
async def import_into_campaign(
    campaign_id: str,
    request: Request,
    store: StoreDep,
    supervisor: SupervisorDep,
    default_region: Region = "US",
    default_language: Language = "en",
    default_timezone: Timezone = None,
    replace_open: Annotated[
        bool,
        Query(
            description="Make this file the campaign's whole open list (daily attendance): "
            "households not in it are closed, those in it (re)opened"
        ),
    ] = False,
    mapping: Mapping = None,
    encoding: Encoding = None,
    default_area_code: AreaCode = None,
    assign: Annotated[
        bool | None,
        Query(
            description="Assign the campaign's unassigned households to callers right after "
            "the import (default: yes for daily-attendance campaigns, so the morning list "
            "reaches callers at their next sync)"
        ),
    ] = None,
) -> ImportReport:
    """Read the CSV body, merge duplicates with stored households, and put every imported
    household on the campaign's list. Bad rows are listed in the report's ``rejected``;
    a file that cannot be read at all is refused (422) and nothing is stored."""
    campaign = await run_in_threadpool(_campaign, store, campaign_id)
    upload = await csv_upload(
        request,
        default_region,
        default_language,
        default_timezone,
        mapping,
        encoding,
        default_area_code,
    )
    report = await run_in_threadpool(_import, store, upload, campaign.id, replace_open)
    if assign if assign is not None else campaign.kind == "daily_attendance":
        report.assigned = await run_in_threadpool(_assign_all, store, campaign.id)
    await run_in_threadpool(_record_import, store, supervisor, report)
    return report


def _record_import(store: Store, supervisor: SupervisorIdentity, report: ImportReport) -> None:
    # The import is its own transaction (importer.import_households): recorded right after.
    with store.transaction() as db:
        audited.imported(db, Actor.supervisor(supervisor), report)


def _assign_all(store: Store, campaign_id: str) -> int:
    with store.transaction() as db:
        return len(apply_plan(db, plan_assignment(db, campaign_id)).moves)


@router.post(
    "/households/import",
    response_model=ImportReport,
    summary="Import households",
    openapi_extra=_CSV_BODY,
)
async def import_without_campaign(
    store: StoreDep, supervisor: SupervisorDep, upload: Annotated[CsvUpload, Depends(csv_upload)]
) -> ImportReport:
    """Like the campaign import, but the households go on no campaign's list."""
    # The supervisor is checked before the upload: nobody else's file is read.
    report = await run_in_threadpool(_import, store, upload, None)
    await run_in_threadpool(_record_import, store, supervisor, report)
    return report


def _import(
    store: Store, upload: CsvUpload, campaign_id: str | None, replace_open: bool = False
) -> ImportReport:
    return importer.import_households(
        store, upload.data, campaign_id=campaign_id, replace_open=replace_open, **upload.reading()
    )


@router.post(
    "/households/import/preview",
    response_model=ImportPreview,
    summary="Preview a household import",
    openapi_extra=_CSV_BODY,
)
async def preview(
    store: StoreDep, supervisor: SupervisorDep, upload: Annotated[CsvUpload, Depends(csv_upload)]
) -> ImportPreview:
    """The detected encoding, delimiter, headers and column mapping, the first rows as they
    would be imported, and every row the import would reject or merge (with a household in
    the file or one stored). Stores nothing; send the mapping back (edited) to import."""
    return await run_in_threadpool(
        partial(importer.preview_import, upload.data, stored=store, **upload.reading())
    )


@router.get(
    "/campaigns/{campaign_id}/export.csv",
    summary="Export a campaign's outcomes as CSV",
    response_class=Response,
    responses=CSV_FILE,
)
def export_outcomes(campaign_id: str, store: StoreDep, supervisor: SupervisorDep) -> Response:
    """One row per recorded outcome, oldest first, one column per survey question; UTF-8
    with a BOM so that Excel reads accents and scripts right."""
    campaign = _campaign(store, campaign_id)
    with store.transaction() as db:
        audited.exported(db, Actor.supervisor(supervisor), "export.outcomes", [campaign.id])
        text = export_outcomes_csv(db, campaign.id, supervisor.scope)
    return csv_file(text, campaign.slug, "outcomes")
