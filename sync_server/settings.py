"""How `phonebank serve` is configured: every option from the command line or, for a
service, from a ``PHONEBANK_*`` environment variable — and what is wrong with a set-up.

The same :class:`ServeSettings` feeds ``serve`` (which warns) and ``check`` (which fails).
"""

from __future__ import annotations

import ipaddress
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.core.errors import PhonebankError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8550
DEFAULT_DB = Path("data") / "phonebank.sqlite"
DEFAULT_WEB_OUT = Path("build") / "web"

# option name -> environment variable; the README's table is written from this.
ENVIRONMENT = {
    "db": "PHONEBANK_DB",
    "host": "PHONEBANK_HOST",
    "port": "PHONEBANK_PORT",
    "public_url": "PHONEBANK_PUBLIC_URL",
    "tls_cert": "PHONEBANK_TLS_CERT",
    "tls_key": "PHONEBANK_TLS_KEY",
    "web_app": "PHONEBANK_WEB_APP",
    "log_json": "PHONEBANK_LOG_JSON",
    "metrics_token": "PHONEBANK_METRICS_TOKEN",
}


class BadSetting(PhonebankError):
    """That setting cannot work"""


def env(option: str) -> str | None:
    """The option's environment variable, if set to something."""
    value = os.environ.get(ENVIRONMENT[option], "").strip()
    return value or None


def env_flag(option: str) -> bool:
    return (env(option) or "").lower() in ("1", "true", "yes", "on")


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (a name or an address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_public_url(url: str) -> str:
    """``url`` without a trailing slash, or a clear error when it is not an http(s) origin."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadSetting(
            f"The public URL {url!r} must look like https://phonebank.example.org "
            "(http or https, with a host name)"
        )
    if parts.query or parts.fragment:
        raise BadSetting(f"The public URL {url!r} must not have a query or a fragment")
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class ServeSettings:
    db: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    public_url: str | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    web_app: Path | None = DEFAULT_WEB_OUT
    log_json: bool = False
    metrics_token: str | None = None

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def local_url(self) -> str:
        """This server as seen from this machine (what the server-driven app syncs with)."""
        shown = DEFAULT_HOST if self.host in ("0.0.0.0", "::", "") else self.host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"{self.scheme}://{shown}:{self.port}"

    @property
    def base_url(self) -> str:
        """Where callers and supervisors open it: the public URL when one is set."""
        return self.public_url or self.local_url

    @property
    def secure(self) -> bool:
        """Whether browsers reach it over HTTPS (itself, or a proxy in front of it)."""
        return self.tls or (self.public_url or "").startswith("https://")

    @property
    def public_host(self) -> bool:
        """Whether other machines can reach it: not loopback, or a public URL says so."""
        if self.public_url:
            return not is_loopback(urlsplit(self.public_url).hostname or "")
        return not is_loopback(self.host)

    def validate(self) -> None:
        """Raise :class:`BadSetting` for what cannot start at all."""
        if (self.tls_cert is None) != (self.tls_key is None):
            raise BadSetting("HTTPS needs both --tls-cert and --tls-key (or neither)")
        for name, path in (("certificate", self.tls_cert), ("key", self.tls_key)):
            if path is not None and not path.is_file():
                raise BadSetting(f"The TLS {name} file {path} does not exist or is not a file")
            if path is not None and not os.access(path, os.R_OK):
                raise BadSetting(f"The TLS {name} file {path} is not readable by this user")
        if not 0 < self.port < 65536:
            raise BadSetting(f"The port must be between 1 and 65535, not {self.port}")


@dataclass(frozen=True)
class Finding:
    """One thing `phonebank check` (and `serve`, as a warning) has to say."""

    problem: bool
    text: str
    topic: str = "setting"
    """What it is about: setting, address, https, database, web_app, supervisor, metrics."""


def findings(settings: ServeSettings, *, supervised: bool) -> list[Finding]:
    """What is wrong (``problem``) or worth knowing about a set-up, in plain words."""
    found: list[Finding] = []

    def problem(text: str, topic: str) -> None:
        found.append(Finding(True, text, topic))

    try:
        settings.validate()
    except BadSetting as error:
        problem(error.message, "setting")
    if settings.public_host and not settings.public_url:
        problem(
            f"Listening on {settings.host} with no public URL: invite links and QR codes would "
            "point at this machine's loopback address and will not work for callers. "
            "Set --public-url / PHONEBANK_PUBLIC_URL (e.g. https://phonebank.example.org).",
            "address",
        )
    if settings.public_host and not settings.secure:
        problem(
            "No HTTPS on a public host: phones will not get the offline app (a service worker "
            "needs HTTPS) and passwords and tokens cross the network in clear. Use "
            "--tls-cert/--tls-key or a reverse proxy with HTTPS (deploy/Caddyfile) and an "
            "https:// public URL.",
            "https",
        )
    problem_text = database_problem(settings.db)
    if problem_text:
        problem(problem_text, "database")
    if settings.web_app is not None and not (settings.web_app / "bundle.json").is_file():
        problem(
            f"The offline caller app is not built in {settings.web_app}: run "
            "`phonebank build-web` (until then callers can only use /app/, online).",
            "web_app",
        )
    if not supervised:
        problem(
            "Not run by a supervisor (systemd): nothing restarts the server after a crash or a "
            "reboot. Install deploy/phonebank.service (see the README).",
            "supervisor",
        )
    if settings.public_host and not settings.metrics_token:
        found.append(
            Finding(
                False,
                "No PHONEBANK_METRICS_TOKEN: /api/metrics answers only requests from this machine.",
            )
        )
    return found


def database_problem(path: Path) -> str | None:
    """Why the server could not keep its data in ``path``, or None when it can."""
    folder = path.parent
    if path.exists():
        if not path.is_file():
            return f"The database {path} is not a file"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"The database {path} is not readable and writable by this user"
        if not os.access(folder, os.W_OK):
            # SQLite writes its -wal and -shm files beside the database.
            return f"The database folder {folder} is not writable (SQLite keeps its journal there)"
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                conn.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            return f"The database {path} cannot be read: {error}"
        return None
    existing = next((parent for parent in (folder, *folder.parents) if parent.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        return f"The database {path} does not exist and its folder cannot be created here"
    return None


SYSTEMD_UNIT = Path("/etc/systemd/system/phonebank.service")


def under_supervisor() -> bool:
    """Whether a service manager runs (or will run) the server: systemd sets INVOCATION_ID
    for its services; a person running `check` by hand has installed the unit; another
    supervisor (Docker, supervisord) says so with PHONEBANK_SUPERVISED=1."""
    return bool(
        os.environ.get("INVOCATION_ID")
        or os.environ.get("PHONEBANK_SUPERVISED", "").strip() in ("1", "true", "yes")
        or SYSTEMD_UNIT.exists()
    )
