"""The console's screens, each declared once: its id, title, icon and the view that draws it.

The nav rail lists them in this order and the shell draws the current one; adding a screen
is one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from .assignment_view import AssignmentView
from .callers_view import CallersView
from .campaigns_view import CampaignsView
from .dashboard_view import DashboardView
from .follow_ups_view import FollowUpsView
from .import_view import ImportView
from .privacy_view import PrivacyView
from .quarantine_view import QuarantineView
from .targeting_view import TargetingView


@dataclass(frozen=True)
class Screen:
    id: str
    """What ``ConsoleState.screen`` holds and ``go`` takes; ``nav-<id>`` in the page."""
    title: str
    icon: ft.IconData
    view: Callable[[], ft.Control]


SCREENS: tuple[Screen, ...] = (
    Screen("dashboard", "Dashboard", ft.Icons.INSIGHTS, DashboardView),
    Screen("import", "Import", ft.Icons.UPLOAD_FILE, ImportView),
    Screen("targeting", "Targeting", ft.Icons.FILTER_ALT, TargetingView),
    Screen("assignment", "Assignment", ft.Icons.ASSIGNMENT_IND, AssignmentView),
    Screen("campaigns", "Campaigns & scripts", ft.Icons.CAMPAIGN, CampaignsView),
    Screen("callers", "Callers", ft.Icons.PEOPLE, CallersView),
    Screen("follow_ups", "Follow-ups", ft.Icons.EVENT_NOTE, FollowUpsView),
    Screen("quarantine", "Quarantine", ft.Icons.REPORT, QuarantineView),
    Screen("privacy", "Families' data", ft.Icons.PRIVACY_TIP, PrivacyView),
)
BY_ID = {screen.id: screen for screen in SCREENS}
