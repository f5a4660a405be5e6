"""Campaigns and their scripts: create, edit, look up."""

from __future__ import annotations

import uuid

import sqlite_utils

from app.core.errors import Conflict, NotFound
from app.core.models import Campaign, CampaignDraft, Script, ScriptDraft

from .clock import iso, utcnow
from .db import next_version
from .records import campaign_from_row, script_from_row


def create_campaign(db: sqlite_utils.Database, draft: CampaignDraft) -> Campaign:
    if db.execute("SELECT 1 FROM campaigns WHERE slug = ?", [draft.slug]).fetchone():
        raise Conflict(f"A campaign called {draft.slug!r} already exists")
    campaign = Campaign(id=str(uuid.uuid4()), **draft.model_dump())
    db.table("campaigns").insert(
        {
            "id": campaign.id,
            "slug": campaign.slug,
            "name": campaign.name,
            "kind": campaign.kind,
            "body": campaign.model_dump_json(),
            "version": next_version(db),
            "created_at": iso(utcnow()),
        }
    )
    return campaign


def update_campaign(db: sqlite_utils.Database, campaign_id: str, draft: CampaignDraft) -> Campaign:
    get_campaign(db, campaign_id)
    clash = db.execute(
        "SELECT 1 FROM campaigns WHERE slug = ? AND id != ?", [draft.slug, campaign_id]
    ).fetchone()
    if clash:
        raise Conflict(f"A campaign called {draft.slug!r} already exists")
    campaign = Campaign(id=campaign_id, **draft.model_dump())
    db.table("campaigns").update(
        campaign_id,
        {
            "slug": campaign.slug,
            "name": campaign.name,
            "kind": campaign.kind,
            "body": campaign.model_dump_json(),
            "version": next_version(db),
        },
    )
    return campaign


def get_campaign(db: sqlite_utils.Database, campaign_id: str) -> Campaign:
    rows = list(db.query("SELECT body FROM campaigns WHERE id = ?", [campaign_id]))
    if not rows:
        raise NotFound(f"No campaign with id {campaign_id!r}")
    return campaign_from_row(rows[0])


def campaign_by_slug(db: sqlite_utils.Database, slug: str) -> Campaign:
    rows = list(db.query("SELECT body FROM campaigns WHERE slug = ?", [slug]))
    if not rows:
        raise NotFound(f"No campaign called {slug!r}")
    return campaign_from_row(rows[0])


def campaign_by_reference(db: sqlite_utils.Database, reference: str) -> Campaign:
    """The campaign by id, or by slug for people typing URLs."""
    try:
        return get_campaign(db, reference)
    except NotFound:
        try:
            return campaign_by_slug(db, reference)
        except NotFound:
            raise NotFound(f"No campaign with id or slug {reference!r}") from None


def list_campaigns(db: sqlite_utils.Database) -> list[Campaign]:
    return [campaign_from_row(row) for row in db.query("SELECT body FROM campaigns ORDER BY name")]


def open_households(db: sqlite_utils.Database) -> dict[str, int]:
    """How many households are open on each campaign's list, by campaign id."""
    return dict(
        db.execute(
            "SELECT campaign_id, count(*) FROM campaign_households WHERE open = 1 "
            "GROUP BY campaign_id"
        ).fetchall()
    )


def put_script(db: sqlite_utils.Database, campaign_id: str, draft: ScriptDraft) -> Script:
    """Create or replace the campaign's script in ``draft.language``."""
    get_campaign(db, campaign_id)
    existing = db.execute(
        "SELECT id FROM scripts WHERE campaign_id = ? AND language = ?",
        [campaign_id, draft.language],
    ).fetchone()
    script = Script(
        id=existing[0] if existing else str(uuid.uuid4()),
        campaign_id=campaign_id,
        **draft.model_dump(),
    )
    db.table("scripts").upsert(
        {
            "id": script.id,
            "campaign_id": campaign_id,
            "language": script.language,
            "body": script.model_dump_json(),
            "version": next_version(db),
        },
        pk="id",
    )
    return script


def list_scripts(db: sqlite_utils.Database, campaign_id: str) -> list[Script]:
    return [
        script_from_row(row)
        for row in db.query(
            "SELECT body FROM scripts WHERE campaign_id = ? ORDER BY language", [campaign_id]
        )
    ]


def delete_script(db: sqlite_utils.Database, campaign_id: str, language: str) -> None:
    cursor = db.execute(
        "DELETE FROM scripts WHERE campaign_id = ? AND language = ?", [campaign_id, language]
    )
    if cursor.rowcount == 0:
        raise NotFound(f"The campaign has no script in {language!r}")
