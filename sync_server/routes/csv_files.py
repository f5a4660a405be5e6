"""How an export answers: a campaign's CSV file to download, UTF-8 with a BOM so that
Excel reads accents and scripts right, named after the campaign, what it holds and the day."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from ..clock import utcnow

CSV_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The CSV file"}
}
"""The ``responses`` of an export route: its 200 is a CSV file, not JSON."""


def csv_file(text: str, campaign_slug: str, contents: str) -> Response:
    """``text`` as ``<campaign>-<contents>-<date>.csv``, to save rather than show."""
    filename = f"{campaign_slug}-{contents}-{utcnow().date().isoformat()}.csv"
    return Response(
        content="\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
