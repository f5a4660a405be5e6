"""Who is signed in, which screen and campaign they look at, and when data last moved."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

HOME = "dashboard"
"""The screen a supervisor lands on; every screen id is one in ``views/screens.py``."""
LIVE_SHARE = 5.0


@ft.observable
@dataclass
class ConsoleState:
    username: str | None = None
    admin: bool = True
    """A district admin; a school coordinator's console hides what only admins may do."""
    screen: str = HOME
    campaign_id: str | None = None
    revision: int = 0
    """Bumped when the server's data moved (a device synced, this page wrote): screens
    that show live data read their services again."""
    notice: str | None = None
    connected: bool = True
    ui_language: str = "en"
    """The language the console speaks (a tag of the console's catalogues)."""
    closed: bool = False
    _live_cost: float = 0.0
    """Seconds the last live reload took (not observed: it redraws nothing)."""

    @property
    def signed_in(self) -> bool:
        return self.username is not None

    def signed_in_as(self, username: str, admin: bool = True) -> None:
        self.username = username
        self.admin = admin
        self.screen = HOME
        self.notice = None

    def signed_out(self, notice: str | None = None) -> None:
        self.username = None
        self.notice = notice

    def go(self, screen: str) -> None:
        self.screen = screen
        self.notice = None

    def choose_campaign(self, campaign_id: str | None) -> None:
        self.campaign_id = campaign_id

    def speak(self, language: str) -> None:
        self.ui_language = language

    def changed(self) -> None:
        self.revision += 1

    def tell(self, notice: str | None) -> None:
        self.notice = notice

    def reloaded_live(self, seconds: float) -> None:
        self._live_cost = seconds

    def watch_pause(self, interval: float) -> float:
        """Seconds until the next look for changes: ``interval``, or longer when live screens
        are slow to reload, so that reloading holds the database at most a fifth of the time."""
        return max(interval, LIVE_SHARE * self._live_cost)
