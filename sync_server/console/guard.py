"""A component that fails draws a short error in its place instead of freezing the page.

Flet 1.0.5 runs component updates in one scheduler task per page and does not catch what a
component raises: one exception ends that task and the page stops updating, silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import flet as ft

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def guarded(component: F) -> F:
    @functools.wraps(component)
    def render(*args: Any, **kwargs: Any) -> Any:
        try:
            return component(*args, **kwargs)
        except Exception as error:
            log.exception("%s failed to draw", component.__name__)
            return ft.Semantics(
                identifier="render-error",
                content=ft.Text(f"Something went wrong here: {error}", color=ft.Colors.ERROR),
            )

    return render  # type: ignore[return-value]
