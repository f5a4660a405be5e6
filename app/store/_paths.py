"""Where the device database lives on each platform."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_FOLDER = "phonebank"
DATABASE_NAME = "phonebank.db"


def data_folder(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """The folder for the app's own data.

    In order: the folder Flet gives an app on a device (``FLET_APP_STORAGE_DATA``), the
    IDBFS mount ``/data`` in the browser, then the user's data folder of the desktop OS.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("FLET_APP_STORAGE_DATA"):
        return Path(env["FLET_APP_STORAGE_DATA"])
    if platform == "emscripten":
        return Path("/data")
    home = Path.home() if home is None else home
    if platform == "win32":
        base = env.get("APPDATA")
        return Path(base) / APP_FOLDER if base else home / "AppData" / "Roaming" / APP_FOLDER
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_FOLDER
    xdg = env.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else home / ".local" / "share") / APP_FOLDER


def default_database_path(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    return data_folder(env, platform, home) / DATABASE_NAME
