"""The console's screens, each declared once: its id, title, icon and the view that draws it.

The nav rail lists them in this order and the shell draws the current one; adding a screen
is one entry here. A screen for district admins only is not in a school coordinator's
rail (the server refuses its actions to them anyway: sync_server/roles.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from .assignment_view import AssignmentView
from .callers_view import CallersView
from .campaigns_view import CampaignsView
from .dashboard_view import DashboardView
from .families_view import FamiliesView
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
    """The catalogue key of its title (``screen.<id>``), in the supervisor's language."""
    icon: ft.IconData
    view: Callable[[], ft.Control]
    admin_only: bool = False


SCREENS: tuple[Screen, ...] = (
    Screen("dashboard", "screen.dashboard", ft.Icons.INSIGHTS, DashboardView),
    Screen("import", "screen.import", ft.Icons.UPLOAD_FILE, ImportView, admin_only=True),
    Screen("targeting", "screen.targeting", ft.Icons.FILTER_ALT, TargetingView, admin_only=True),
    Screen("assignment", "screen.assignment", ft.Icons.ASSIGNMENT_IND, AssignmentView),
    Screen("campaigns", "screen.campaigns", ft.Icons.CAMPAIGN, CampaignsView, admin_only=True),
    Screen("callers", "screen.callers", ft.Icons.PEOPLE, CallersView, admin_only=True),
    Screen("follow_ups", "screen.follow_ups", ft.Icons.EVENT_NOTE, FollowUpsView),
    Screen("quarantine", "screen.quarantine", ft.Icons.REPORT, QuarantineView),
    Screen("privacy", "screen.privacy", ft.Icons.PRIVACY_TIP, PrivacyView),
    Screen("families", "screen.families", ft.Icons.FAMILY_RESTROOM, FamiliesView),
)
BY_ID = {screen.id: screen for screen in SCREENS}


def screens_for(admin: bool) -> tuple[Screen, ...]:
    """The screens a district admin (all) or a school coordinator may open."""
    return tuple(screen for screen in SCREENS if admin or not screen.admin_only)
