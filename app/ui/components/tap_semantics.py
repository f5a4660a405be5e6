"""A Semantics node that taps itself.

Flet 1.0.5's client wires a Semantics node's tap to a handler named ``on_click``; the Python
class names it ``on_tap``, which the client never reads: such a node has no tap action, a
dead button for a screen reader. This adds the handler under the name the client reads.

No ``from __future__ import annotations`` here: Flet reads the handler's event type from
the evaluated annotation, as in its own controls.
"""

import flet as ft
from flet.controls.base_control import control


@control("Semantics")  # type: ignore[arg-type]  # flet types its decorator loosely
class TapSemantics(ft.Semantics):
    on_click: ft.ControlEventHandler["TapSemantics"] | None = None
    """Called when the node is tapped: by a screen reader, or a click on it in a browser."""
