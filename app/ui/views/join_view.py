"""The first screen on a new device: join with an invite code, or practise first."""

from __future__ import annotations

import flet as ft

from ..components.join_form import JoinForm
from ..guard import guarded


@ft.component
@guarded
def JoinView() -> ft.Control:
    return ft.Container(content=JoinForm(), padding=ft.Padding.only(top=24))
