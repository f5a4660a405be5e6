"""How the app tells a caller something when they are not looking at it: a system
notification in the offline app (the page shows it, asked by the Python worker over a
BroadcastChannel); nothing where Python runs on a server (``/app/``) or on a desktop."""

from __future__ import annotations

from typing import Protocol

CHANNEL = "phonebank"
"""The BroadcastChannel the offline app's page listens on (sync_server/pwa/boot.js)."""


class Notifier(Protocol):
    def ask(self) -> None:
        """Ask the browser for permission to notify, if it has not been asked yet."""

    def notify(self, title: str, body: str, tag: str) -> None:
        """Show a notification (one per ``tag``: the same tag replaces it)."""


class NoNotifier:
    def ask(self) -> None:
        return None

    def notify(self, title: str, body: str, tag: str) -> None:
        return None


class BroadcastNotifier:
    """Under Pyodide, in the offline app's worker: the page holds the Notification API."""

    def __init__(self) -> None:
        from js import BroadcastChannel

        self._channel = BroadcastChannel.new(CHANNEL)

    def _post(self, **message: str) -> None:
        from js import Object
        from pyodide.ffi import to_js

        self._channel.postMessage(to_js(message, dict_converter=Object.fromEntries))

    def ask(self) -> None:
        self._post(kind="ask-notifications")

    def notify(self, title: str, body: str, tag: str) -> None:
        self._post(kind="notify", title=title, body=body, tag=tag)
