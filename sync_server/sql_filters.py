"""A WHERE clause from the filters a supervisor's list takes, each optional."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def where_matching(always: str, equal: Mapping[str, object | None]) -> tuple[str, dict[str, Any]]:
    """``always``, and ``column = value`` for each column given a value (None: any value),
    as SQL and its named parameters."""
    where, params = [always], {}
    for index, (column, value) in enumerate(equal.items()):
        if value is not None:
            where.append(f"{column} = :filter{index}")
            params[f"filter{index}"] = value
    return " AND ".join(where), params
