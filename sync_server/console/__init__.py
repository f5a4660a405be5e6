"""The supervisor console: a Flet app the sync server serves under /console.

The pages run here, on the server (Flet's server-driven web mode); they work through
:class:`ConsoleService`, never through SQL or HTTP.
"""

from .services import ConsoleService

__all__ = ["ConsoleService", "console_asgi_app"]


def __getattr__(name: str) -> object:
    # The Flet app is imported only when asked for: the service needs no Flet.
    if name == "console_asgi_app":
        from .app import console_asgi_app

        return console_asgi_app
    raise AttributeError(name)
