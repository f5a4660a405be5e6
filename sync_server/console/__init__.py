"""The supervisor console: a Flet app the sync server serves under /console.

The pages run here, on the server (Flet's server-driven web mode); they work through
:class:`ConsoleService`, never through SQL or HTTP.
"""

from .app import console_asgi_app
from .services import ConsoleService

__all__ = ["ConsoleService", "console_asgi_app"]
