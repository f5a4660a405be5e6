"""A small phone bank for the caller app's tests: the demo's tech-check campaign and scripts
(English, Spanish, Chinese, Vietnamese, Arabic), one caller and eight known families."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from app.core.models import Caller, Campaign, Household, Member, PhoneNumber
from sync_server import auth
from sync_server.campaigns import create_campaign, put_script
from sync_server.db import Store
from sync_server.demo import demo_campaigns

from .server_rows import seed_households


def _family(
    key: str,
    name: str,
    language: str,
    tags: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    students: tuple[str, ...] = ("Sam",),
    **extra: object,
) -> Household:
    surname = name.split()[0]
    return Household(
        id=f"hh-{key}",
        name=name,
        language=language,
        tags=list(tags),
        phones=[PhoneNumber(number=number) for number in phones],
        members=[
            Member(name=f"Pat {surname}", role="guardian"),
            *(Member(name=f"{first} {surname}", role="student") for first in students),
        ],
        timezone="America/Los_Angeles",
        **extra,
    )


FAMILIES = (
    _family(
        "garcia",
        "García family",
        "es",
        ("no-device",),
        ("+15105550101", "+15105550102"),
        students=("Luis", "Ana"),
    ),
    _family("nguyen", "Nguyen family", "vi", ("no-internet",), ("+15105550103",)),
    _family("chen", "Chen family", "zh-Hant", ("no-device",), ("+15105550104",)),
    _family("haddad", "Haddad family", "ar", ("iep",), ("+15105550105",)),
    _family("smith", "Smith family", "en", (), ("+15105550106",)),
    _family("lopez", "Lopez family", "es", ("newcomer",), ("+15105550107",)),
    _family("okafor", "Okafor family", "en", (), ("+15105550108",), text_opt_out=True),
    _family("brown", "Brown family", "en", ("transportation",), ("+15105550109",)),
)


@dataclass(frozen=True)
class SeededBank:
    campaign: Campaign
    caller: Caller
    households: tuple[Household, ...]

    def household(self, key: str) -> Household:
        return next(h for h in self.households if h.id == f"hh-{key}")


def create_demo_campaign(db: sqlite_utils.Database) -> Campaign:
    """The demo's tech-check campaign with every one of its scripts."""
    draft, scripts = next((d, s) for d, s in demo_campaigns() if d.slug == "tech-check")
    campaign = create_campaign(db, draft)
    for script in scripts:
        put_script(db, campaign.id, script)
    return campaign


def seed_bank(store: Store, caller_name: str = "Ana Reyes") -> SeededBank:
    """The tech-check campaign with every demo script, a caller, and FAMILIES assigned."""
    with store.transaction() as db:
        campaign = create_demo_campaign(db)
        caller = auth.create_caller(db, caller_name, ["es", "en"])
    seed_households(store, campaign.id, list(FAMILIES), caller.id)
    return SeededBank(campaign, caller, FAMILIES)
