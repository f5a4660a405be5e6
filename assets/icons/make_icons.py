"""Render the app icons from icon.svg with the test suite's Chromium (a developer tool).

    python assets/icons/make_icons.py

Writes icon-192.png, icon-512.png and maskable versions (the artwork shrunk into the
safe zone on the brand colour) beside this file; the web build copies them.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
BRAND = "#00796B"


def main() -> None:
    svg = (HERE / "icon.svg").read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for size in (192, 512):
            page = browser.new_page(viewport={"width": size, "height": size})
            box = f"width:{size}px;height:{size}px"
            plain = f"<body style='margin:0'><div style='{box}'>{svg}</div>"
            page.set_content(plain)
            page.screenshot(path=str(HERE / f"icon-{size}.png"), omit_background=True)
            inner = int(size * 0.8)
            pad = (size - inner) // 2
            maskable = (
                f"<body style='margin:0;background:{BRAND}'>"
                f"<div style='padding:{pad}px;width:{inner}px;height:{inner}px'>{svg}</div>"
            )
            page.set_content(maskable)
            page.screenshot(path=str(HERE / f"icon-maskable-{size}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
