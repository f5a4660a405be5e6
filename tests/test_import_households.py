"""Households from a supervisor's CSV: encodings, delimiters, mapping, rejected rows with
their physical line numbers, duplicates merged, all or nothing, and the HTTP routes."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st

from app.core.errors import InvalidPhoneNumber, NotFound, UnreadableCsv
from app.core.imports import ColumnMapping
from app.core.models import Campaign, CampaignDraft, Household
from app.core.phones import normalise_phone
from sync_server import importer
from sync_server.campaigns import create_campaign
from sync_server.db import Store
from sync_server.records import household_from_row, household_row

HEADER = "Family Name,Parent First Name,Student Name,Phone,Cell,Language,Needs,Student ID\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def households(store: Store) -> list[Household]:
    with store.reading() as db:
        return [household_from_row(row) for row in db.query("SELECT * FROM households")]


def counts(store: Store) -> dict[str, int]:
    with store.reading() as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("households", "campaign_households")
        } | {"version": db.execute("SELECT value FROM version_counter").fetchone()[0]}


def open_list(store: Store, campaign_id: str) -> dict[str, int]:
    with store.reading() as db:
        rows = db.execute(
            """SELECT h.name, ch.open FROM campaign_households ch
               JOIN households h ON h.id = ch.household_id WHERE ch.campaign_id = ?""",
            [campaign_id],
        ).fetchall()
    return dict(rows)


@pytest.fixture
def campaign_id(store: Store) -> str:
    with store.transaction() as db:
        return create_campaign(db, CampaignDraft(slug="import-test", name="Import test")).id


# ---------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Family Name,Phone\nPeña,510-555-0123\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Family Name,Phone\nPeña,510-555-0123\n".encode(), "utf-8-sig"),
        ("Family Name,Phone\nPeña,510-555-0123\n".encode("cp1252"), "cp1252"),
        ("Family Name\tPhone\r\nPeña\t510-555-0123\r\n".encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "utf-16"],
)
def test_encodings_are_detected_and_reported(store: Store, data: bytes, encoding: str) -> None:
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.encoding, report.imported) == (encoding, 1)
    assert [household.name for household in households(store)] == ["Peña"]
    assert report.mapping.name == "Family Name"  # a BOM does not stick to the first header


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_detected_from_the_header(store: Store, delimiter: str) -> None:
    rows = ["Family Name|Address|Phone", 'García|"1 Main St, Apt 2; Oakland"|510-555-0123']
    data = "\n".join(row.replace("|", delimiter) for row in rows).encode()
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.delimiter, report.imported, report.rejected) == (delimiter, 1, [])
    assert households(store)[0].address == "1 Main St, Apt 2; Oakland"


def test_line_numbers_are_physical_lines_even_after_multi_line_fields(store: Store) -> None:
    data = csv_bytes(
        'García,María,"Ana\nLuis",510-555-0123,,es,"no device\nhotspot",S1',  # lines 2-4
        "",  # line 5, blank
        "Nguyen,Linh,Bao,not a phone,,vi,,S2",  # line 6
        'Chen,Wei,"Mei",510-555-0124,,zh,"food,\n\ntransport",S3',  # lines 7-9
        "Haddad,Omar,Sara,,,ar,,S4",  # line 10
    )
    report = importer.import_households(store, data, campaign_id=None)
    assert [(row.line, row.raw["Family Name"]) for row in report.rejected] == [
        (6, "Nguyen"),
        (10, "Haddad"),
    ]
    assert report.imported == 2


def test_broken_rows_are_each_rejected_with_line_and_reason_and_the_rest_imported(
    store: Store,
) -> None:
    data = csv_bytes(
        "García,María,Ana,510-555-0123,,es,,S1",
        "Nguyen,Linh,Bao,555-12,,vi,,S2",
        ",Wei,Mei,510-555-0124,,zh,,S3",
        "Haddad,Omar,Sara,510-555-0125,,ar,,S4,extra,fields",
        "Santos,João,Pedro,(510) 555-0126,,pt,,S5",
    )
    report = importer.import_households(store, data, campaign_id=None)
    assert [(row.line, row.reason) for row in report.rejected] == [
        (
            3,
            "no valid phone number — column 'Phone': '555-12' is too short: 5 digits "
            "where a number in North America has 10",
        ),
        (4, "no family name: column 'Family Name' is empty"),
        (5, "row has 10 fields, header has 8"),
    ]
    assert report.rejected[0].raw["Phone"] == "555-12"
    assert sorted(household.name for household in households(store)) == ["García", "Santos"]
    assert report.rows_read == report.imported + report.merged + len(report.rejected) == 5


def test_a_missing_closing_quote_is_pointed_out(store: Store) -> None:
    data = csv_bytes('García,"María,Ana,510-555-0123,,es,,S1', "Chen,Wei,Mei,510-555-0124,,,,")
    report = importer.import_households(store, data, campaign_id=None)
    (rejected,) = report.rejected
    assert rejected.line == 2
    assert "from line 2 to 3" in rejected.reason
    assert "closing quote" in rejected.reason


def test_a_bad_second_phone_is_left_out_and_said_so(store: Store) -> None:
    data = csv_bytes("García,María,Ana,510-555-0123,12345,es,,S1")
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.imported, report.rejected) == (1, [])
    assert [phone.number for phone in households(store)[0].phones] == ["+15105550123"]
    assert [(w.line, w.reason.split(";")[0]) for w in report.warnings] == [
        (2, "column 'Cell': '12345' is too short: 5 digits where a number in North America has 10")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b",,,\n,,\n", "no header row"),
        (b"Family Name,Phone\nGarc\x00a,510\n", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
        (b"Family Name,Language\nGarcia,es\n", "no phone column"),
        (b"Student,Phone\nAna,510-555-0123\n", "no column for the family name"),
        (b"Garcia,510-555-0123\nChen,510-555-0124\n", "Headers found: 'Garcia', '510-555-0123'"),
    ],
    ids=[
        "empty",
        "blank lines",
        "empty fields only",
        "NUL bytes",
        "xlsx",
        "no phone column",
        "no name column",
        "no header row",
    ],
)
def test_an_unreadable_file_is_refused_and_nothing_is_stored(
    store: Store, campaign_id: str, data: bytes, message: str
) -> None:
    before = counts(store)
    with pytest.raises(UnreadableCsv, match=message):
        importer.import_households(store, data, campaign_id=campaign_id)
    assert counts(store) == before


def test_a_header_only_file_imports_nothing(store: Store, campaign_id: str) -> None:
    before = counts(store)
    report = importer.import_households(store, csv_bytes(), campaign_id=campaign_id)
    assert (report.rows_read, report.imported, report.added_to_campaign) == (0, 0, 0)
    assert counts(store) == before


# ---------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Last Name", "Parent First Name", "Student First Name", "Home Phone", "Mobile"],
            {
                "name": "Last Name",
                "guardian_first_name": "Parent First Name",
                "students": ["Student First Name"],
                "phones": ["Home Phone", "Mobile"],
            },
        ),
        (
            ["APELLIDO", "Padre/Madre/Tutor", "Teléfono", "telefono_2", "Idioma", "Escuela"],
            {
                "name": "APELLIDO",
                "guardian_name": "Padre/Madre/Tutor",
                "phones": ["Teléfono", "telefono_2"],
                "language": "Idioma",
                "school": "Escuela",
            },
        ),
        (
            ["family_name", "guardian", "cell", "home language", "NEEDS", "Tags", "student id"],
            {
                "name": "family_name",
                "guardian_name": "guardian",
                "phones": ["cell"],
                "language": "home language",
                "tags": ["NEEDS", "Tags"],
                "external_id": "student id",
            },
        ),
        (
            ["Family Name", "Phone", "Phone Type", "Do Not Call", "Grade", "Timezone", "Address"],
            {
                "name": "Family Name",
                "phones": ["Phone"],
                "do_not_call": "Do Not Call",
                "grade": "Grade",
                "timezone": "Timezone",
                "address": "Address",
            },
        ),
    ],
    ids=["english", "spanish", "case and underscores", "flags and extras"],
)
def test_columns_are_detected_from_common_headers(
    headers: list[str], expected: dict[str, Any]
) -> None:
    mapping = importer.detect_mapping(headers)
    assert mapping.model_dump(exclude_defaults=True) == expected


def test_repeated_and_empty_headers_get_names_of_their_own(store: Store) -> None:
    data = b"Family Name,Phone,,Phone\nGarcia,510-555-0123,x,510-555-0199\n"
    report = importer.import_households(store, data, campaign_id=None)
    assert report.mapping.phones == ["Phone", "Phone (2)"]
    assert [phone.number for phone in households(store)[0].phones] == [
        "+15105550123",
        "+15105550199",
    ]
    assert importer.read_csv(data).headers == ["Family Name", "Phone", "Column 3", "Phone (2)"]


def test_an_explicit_mapping_overrides_the_detected_one(store: Store) -> None:
    data = b"Apellido paterno,Tel casa,Numero movil\nGarcia,510-555-0123,510-555-0199\n"
    with pytest.raises(UnreadableCsv, match="no column for the family name"):
        importer.import_households(store, data, campaign_id=None)
    mapping = ColumnMapping(name="apellido paterno", phones=["Numero movil", "Tel casa"])
    report = importer.import_households(store, data, campaign_id=None, mapping=mapping)
    assert report.mapping.name == "Apellido paterno"  # matched like a header, then exact
    (household,) = households(store)
    assert [(p.number, p.label) for p in household.phones] == [
        ("+15105550199", "mobile"),
        ("+15105550123", "home"),
    ]


def test_a_mapping_naming_a_column_not_in_the_file_is_refused(store: Store) -> None:
    mapping = ColumnMapping(name="Surname", phones=["Phone"])
    with pytest.raises(UnreadableCsv, match="names 'Surname', not in the file"):
        importer.import_households(store, csv_bytes(), campaign_id=None, mapping=mapping)


def test_an_empty_language_gets_the_importers_default(store: Store) -> None:
    data = csv_bytes("García,María,Ana,510-555-0123,,,,S1", "Chen,Wei,Mei,510-555-0124,,zh,,S2")
    importer.import_households(store, data, campaign_id=None, default_language="es")
    assert {h.name: h.language for h in households(store)} == {"García": "es", "Chen": "zh"}


# ---------------------------------------------------------------------------- merging


def test_duplicates_within_the_file_are_merged(store: Store) -> None:
    data = csv_bytes(
        "García,María,Ana,510-555-0123,,es,no device,S1",
        "GARCIA,Maria,Luis,(510) 555-0123,510-555-0199,,hotspot; no device,S2",
        "García,María,Ana,+1 510 555 0123,,,,S1",
    )
    report = importer.import_households(store, data, campaign_id=None)
    assert (report.imported, report.merged) == (1, 2)
    (household,) = households(store)
    assert household.name == "García"
    assert [phone.number for phone in household.phones] == ["+15105550123", "+15105550199"]
    assert household.tags == ["no-device", "hotspot"]
    assert [(m.name, m.role) for m in household.members] == [
        ("María García", "guardian"),
        ("Ana", "student"),
        ("Luis", "student"),
    ]
    assert (household.language, household.external_id) == ("es", "S1")


def test_a_later_file_adds_to_stored_households_and_never_drops_data(store: Store) -> None:
    header = HEADER.replace("Student ID", "Do Not Call")
    importer.import_households(
        store,
        csv_bytes("García,María,Ana,510-555-0123,,es,no device,yes", header=header),
        campaign_id=None,
    )
    report = importer.import_households(
        store,
        csv_bytes("Garcia,,Luis,510.555.0123,510-555-0199,,food,no", header=header),
        campaign_id=None,
    )
    assert (report.imported, report.merged) == (0, 1)
    (household,) = households(store)
    assert [phone.number for phone in household.phones] == ["+15105550123", "+15105550199"]
    assert household.tags == ["no-device", "food"]
    assert [m.name for m in household.members] == ["María García", "Ana", "Luis"]
    assert household.language == "es"  # an empty cell does not reset it to the default
    assert household.do_not_call  # "no" never turns a do-not-call flag off


def test_importing_the_same_file_again_changes_nothing(store: Store, campaign_id: str) -> None:
    data = csv_bytes(
        "García,María,Ana,510-555-0123,,es,,S1",
        "Chen,Wei,Mei,510-555-0124,,zh,,S2",
        "Chen,Wei,Lan,510-555-0124,,zh,,S3",
    )
    first = importer.import_households(store, data, campaign_id=campaign_id)
    before = counts(store)
    again = importer.import_households(store, data, campaign_id=campaign_id)
    assert (first.imported, first.merged, first.added_to_campaign) == (2, 1, 2)
    assert (again.imported, again.merged, again.added_to_campaign) == (0, 3, 0)
    assert counts(store) == before  # not even a version: devices have nothing to pull


def test_stored_rows_are_exactly_what_records_would_write(store: Store) -> None:
    data = csv_bytes("Peña,José,Ana; Luis,510-555-0123,510-555-0199,Español,no device,S1")
    importer.import_households(store, data, campaign_id=None, default_timezone="America/Denver")
    with store.reading() as db:
        (row,) = db.query("SELECT * FROM households")
    household = household_from_row(row)
    assert household.timezone == "America/Denver"
    assert {key: row[key] for key in household_row(household, dedupe_key="")} == household_row(
        household, dedupe_key=row["dedupe_key"]
    )


# ---------------------------------------------------------------------------- campaigns


def test_households_go_on_the_campaign_list_and_a_closed_one_is_reopened(
    store: Store, campaign_id: str
) -> None:
    data = csv_bytes("García,María,Ana,510-555-0123,,es,,S1")
    importer.import_households(store, data, campaign_id=campaign_id)
    with store.transaction() as db:
        db.execute("UPDATE campaign_households SET open = 0, caller_id = NULL")
    report = importer.import_households(store, data, campaign_id=campaign_id)
    assert report.added_to_campaign == 1
    assert open_list(store, campaign_id) == {"García": 1}


def test_replace_open_makes_the_file_the_whole_open_list(store: Store, campaign_id: str) -> None:
    monday = csv_bytes("García,,Ana,510-555-0123,,,,", "Chen,,Mei,510-555-0124,,,,")
    tuesday = csv_bytes("Chen,,Mei,510-555-0124,,,,", "Nguyen,,Bao,510-555-0125,,,,")
    importer.import_households(store, monday, campaign_id=campaign_id, replace_open=True)
    report = importer.import_households(store, tuesday, campaign_id=campaign_id, replace_open=True)
    assert (report.added_to_campaign, report.closed) == (1, 1)
    assert open_list(store, campaign_id) == {"García": 0, "Chen": 1, "Nguyen": 1}


def test_an_unknown_campaign_stores_nothing(store: Store) -> None:
    before = counts(store)
    with pytest.raises(NotFound):
        importer.import_households(store, csv_bytes(), campaign_id="no-such-campaign")
    assert counts(store) == before


# ---------------------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("failing_call", [1, 2], ids=["while reading", "after writing"])
def test_a_failure_part_way_stores_nothing(
    store: Store, campaign_id: str, failing_call: int
) -> None:
    data = csv_bytes(*(f"Family {i},,,+1 510 555 {i:04d},,,," for i in range(1500)))
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == failing_call:
            raise RuntimeError("the disk is full")

    before = counts(store)
    with pytest.raises(RuntimeError, match="the disk is full"):
        importer.import_households(store, data, campaign_id=campaign_id, progress=progress)
    assert counts(store) == before
    assert calls == [(1000, 1500), (1500, 1500)][:failing_call]


def test_progress_is_reported_every_thousand_rows(store: Store) -> None:
    data = csv_bytes(*(f"Family {i},,,+1 510 555 {i:04d},,,," for i in range(2500)))
    calls: list[tuple[int, int]] = []
    report = importer.import_households(
        store, data, campaign_id=None, progress=lambda *call: calls.append(call)
    )
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert report.imported == 2500


# ---------------------------------------------------------------------------- phones


@example("(510) 555-0123", "US")
@example("1-800-356-9377", "US")  # toll free
@example("+1 900 555 0123", "GB")  # premium rate
@example("(416) 555-0123", "CA")  # valid in Canada, not in the US: the full path
@example("(310) 555-0123", "GB")  # no +1 and a region outside NANP: not a US number
@given(
    st.from_regex(r"\A(\+1 ?|1-)?\(?[0-9]{3}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}\Z", fullmatch=True),
    st.sampled_from(["US", "CA", "GB"]),
)
def test_the_fast_phone_path_agrees_with_normalise_phone(raw: str, region: str) -> None:
    def outcome(normalise: Callable[[str], str]) -> str:
        try:
            return normalise(raw)
        except InvalidPhoneNumber:
            return "invalid"

    assert outcome(importer._PhoneReader(region)) == outcome(
        lambda text: normalise_phone(text, region)
    )


# ---------------------------------------------------------------------------- preview


def test_the_preview_shows_the_first_rows_and_stores_nothing(store: Store) -> None:
    data = csv_bytes(*(f"Family {i},,,+1 510 555 {i:04d},,,," for i in range(12)), "Bad,,,12,,,,")
    before = counts(store)
    preview = importer.preview_import(data)
    assert counts(store) == before
    assert (preview.rows_read, len(preview.sample), preview.missing_columns) == (13, 10, [])
    assert preview.sample[0].household is not None
    assert preview.sample[0].household.phones[0].number == "+15105550000"
    assert preview.detected_headers == HEADER.strip().split(",")


def test_the_preview_reports_missing_columns_instead_of_refusing() -> None:
    preview = importer.preview_import(b"Student,Language\nAna,es\n")
    assert (preview.missing_columns, preview.sample) == (["name", "phone"], [])


# ---------------------------------------------------------------------------- HTTP

IMPORT_URL = "/api/v1/admin/campaigns/{campaign}/households/import"
CSV = {"Content-Type": "text/csv"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", IMPORT_URL.format(campaign="tech-check")),
        ("post", "/api/v1/admin/households/import"),
        ("post", "/api/v1/admin/households/import/preview"),
        ("get", "/api/v1/admin/campaigns/tech-check/export.csv"),
    ],
)
@pytest.mark.parametrize("token", [None, "not-a-session"])
def test_routes_need_a_signed_in_supervisor(
    client: TestClient, campaign: Campaign, method: str, path: str, token: str | None
) -> None:
    headers = {**CSV, **({"Authorization": f"Bearer {token}"} if token else {})}
    response = client.request(method, path, content=csv_bytes(), headers=headers)
    assert response.status_code == 401


def test_import_over_http_with_a_mapping(
    client: TestClient, store: Store, campaign: Campaign, supervisor_headers: dict[str, str]
) -> None:
    mapping = {"name": "Family Name", "phones": ["Cell", "Phone"], "language": "Language"}
    response = client.post(
        IMPORT_URL.format(campaign=campaign.id),
        params={"mapping": json.dumps(mapping), "default_language": "es"},
        content=csv_bytes("García,María,Ana,510-555-0123,510-555-0199,,,S1", "Chen,,,1,,,,"),
        headers={**supervisor_headers, **CSV},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["imported"], body["added_to_campaign"], body["campaign_id"]) == (
        1,
        1,
        campaign.id,
    )
    assert body["rejected"][0]["line"] == 3
    (household,) = households(store)
    assert (household.phones[0].number, household.language) == ("+15105550199", "es")


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "error"),
    [
        (IMPORT_URL.format(campaign="nope"), {"content": csv_bytes()}, 404, "not_found"),
        (IMPORT_URL.format(campaign="tech-check"), {"content": b""}, 422, "unreadable_csv"),
        (
            IMPORT_URL.format(campaign="tech-check"),
            {"content": csv_bytes(), "params": {"mapping": '{"nam": "Family Name"}'}},
            422,
            "invalid_request",
        ),
        (
            "/api/v1/admin/households/import",
            {"files": {"file": ("households.csv", csv_bytes(), "text/csv")}},
            422,
            "unreadable_csv",
        ),
        (
            "/api/v1/admin/households/import",
            {"content": csv_bytes(), "params": {"default_region": "Narnia"}},
            422,
            "invalid_request",
        ),
        (
            "/api/v1/admin/households/import/preview",
            {"content": csv_bytes(), "params": {"default_timezone": "Mars/Olympus"}},
            422,
            "invalid_request",
        ),
    ],
    ids=["unknown campaign", "empty file", "bad mapping", "form upload", "region", "zone"],
)
def test_import_errors_over_http(
    client: TestClient,
    store: Store,
    campaign: Campaign,
    supervisor_headers: dict[str, str],
    path: str,
    kwargs: dict[str, Any],
    status: int,
    error: str,
) -> None:
    headers = supervisor_headers if "files" in kwargs else {**supervisor_headers, **CSV}
    response = client.post(path, headers=headers, **kwargs)
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert counts(store)["households"] == 0


def test_preview_over_http(client: TestClient, supervisor_headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/admin/households/import/preview",
        content="Apellido;Teléfono\nPeña;510-555-0123\n".encode("cp1252"),
        headers={**supervisor_headers, **CSV},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["encoding"], body["delimiter"], body["mapping"]["name"]) == (
        "cp1252",
        ";",
        "Apellido",
    )
    assert body["sample"][0]["household"]["name"] == "Peña"
