"""Times as a supervisor reads them: '4 min ago', 'yesterday 16:05', in the campaign's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_skeleton

from app.services.i18n import Translator, cldr_locale

from .i18n import console_catalogues


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def ago(
    moment: datetime | None, now: datetime | None = None, *, tr: Translator | None = None
) -> str:
    """How long ago, roughly: 'just now', '4 min ago', '3 h ago', '2 days ago', 'never'
    (in ``tr``'s language; English without one)."""
    tr = tr or Translator("en", console_catalogues())
    if moment is None:
        return tr("ago.never")
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return tr("ago.just_now")
    if seconds < 3600:
        return tr("ago.minutes", count=int(seconds // 60))
    if seconds < 86400:
        return tr("ago.hours", count=int(seconds // 3600))
    days = int(seconds // 86400)
    return tr("ago.yesterday") if days == 1 else tr("ago.days", count=days)


def long_day(day: date, tr: Translator) -> str:
    """A day as a heading names it: "Tuesday, December 1, 2026", "martes, 1 de diciembre
    de 2026"."""
    return str(format_date(day, "full", locale=cldr_locale(tr.language)))


def short_day(day: date, tr: Translator) -> str:
    """ "Dec 1" / "1 dic": a day under a chart's bar."""
    return str(format_skeleton("MMMd", day, locale=cldr_locale(tr.language)))


def local(
    moment: datetime | None,
    timezone: str | None,
    pattern: str = "%b %d %H:%M",
    *,
    tr: Translator | None = None,
) -> str:
    """``moment`` on the campaign's clock: "Dec 01 14:05" (``pattern``); in another UI
    language than English, as CLDR writes a day and a time there ("1 dic, 14:05")."""
    if moment is None:
        return "—"
    here = moment.astimezone(zone(timezone))
    if tr is None or tr.language == "en" or pattern != "%b %d %H:%M":
        return here.strftime(pattern)
    day = format_skeleton("MMMd", here, tzinfo=here.tzinfo, locale=cldr_locale(tr.language))
    return f"{day} {tr.clock(here)}"
