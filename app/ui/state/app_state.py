"""Where the caller is in the app, and what they asked the list to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import flet as ft

from app.services import ListFilters

Screen = Literal["join", "list", "call", "follow_ups", "stats", "settings"]


@ft.observable
@dataclass
class AppState:
    screen: Screen = "join"
    ui_language: str = "en"
    practice: bool = False
    open_campaign_id: str | None = None
    open_household_id: str | None = None
    revision: int = 0
    """Bumped after every write or sync: screens read their services again."""
    search: str = ""
    search_field: int = 0
    """Bumped to give the search box a new, empty field when the filters are cleared."""
    language_filter: str | None = None
    tag_filter: str | None = None
    sync_details_open: bool = False
    invite_code: str = ""
    auto_join: bool = False
    """Join with ``invite_code`` as soon as the join screen shows (an invite link)."""
    notice: str | None = None

    @property
    def filters(self) -> ListFilters:
        return ListFilters(self.search, self.language_filter, self.tag_filter)

    def go(self, screen: Screen) -> None:
        self.screen = screen
        self.notice = None

    def open_household(self, campaign_id: str, household_id: str) -> None:
        self.open_campaign_id, self.open_household_id = campaign_id, household_id
        self.go("call")

    def changed(self) -> None:
        self.revision += 1

    def clear_filters(self) -> None:
        self.search, self.language_filter, self.tag_filter = "", None, None
        self.search_field += 1

    def start_practice(self) -> None:
        self.practice = True
        self.go("list")

    def stop_practice(self, joined: bool) -> None:
        self.practice = False
        self.go("list" if joined else "join")
