"""The caller app as an installable offline web app: built by ``phonebank build-web``,
served by the sync server at ``/``.

- ``build``: the static bundle (Flutter client, Pyodide, the app's wheels and code, fonts,
  icons, manifest, our service worker), content-hashed names, pre-compressed copies.
- ``wheels``: the browser's pinned Python packages and the Pyodide lock over them.
- ``precache``: what the service worker precaches in each browser, and what a first visit
  downloads (``first_visit_bytes``).
- ``client``: the edits to flet-web's Flutter client (index.html, bootstrap, python.js).
- ``serving``: the ASGI app that serves a built bundle with the right types and caching.
"""

from .build import DEFAULT_CACHE, DEFAULT_OUT, BuildReport, build_web, is_stale
from .precache import BROWSERS, first_visit_bytes
from .serving import WebBundle
from .wheels import WheelsMissing

__all__ = [
    "BROWSERS",
    "DEFAULT_CACHE",
    "DEFAULT_OUT",
    "BuildReport",
    "WebBundle",
    "WheelsMissing",
    "build_web",
    "first_visit_bytes",
    "is_stale",
]
