"""Start the bundle in headless Chromium with every non-loopback request aborted.

    python -m pwa.check [--dir build/web] [--shot pwa/check.png]

Serves the bundle with pwa/serve.py on a free loopback port, opens it, waits for the
join screen's "Invite code" text field (through Flutter's semantics tree) and reports
the time it took, the requests made (and blocked) and a screenshot.
"""

from __future__ import annotations

import argparse
import collections
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=ROOT / "build" / "web")
    parser.add_argument("--shot", type=Path, default=ROOT / "pwa" / "check.png")
    parser.add_argument("--timeout", type=float, default=90.0)
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pwa.serve", str(args.dir), str(port), "-q"], cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}/"
    blocked: list[str] = []
    local = collections.Counter()
    failed: list[str] = []
    console: list[str] = []
    ok = False
    try:
        time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 360, "height": 740})

            def route(r):
                host = urlsplit(r.request.url).hostname
                if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                    local[urlsplit(r.request.url).path] += 1
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
            page.on("requestfailed", lambda r: failed.append(f"failed {r.url} {r.failure}"))
            # Requests from the Python worker go through the context's routes too.
            start = time.monotonic()
            page.goto(url)
            page.wait_for_selector(
                "flt-semantics-placeholder", state="attached", timeout=args.timeout * 1000
            )
            t_flutter = time.monotonic() - start
            page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
            box = page.get_by_role("textbox", name="Invite code")
            try:
                box.wait_for(timeout=args.timeout * 1000)
                ok = True
            except Exception as error:
                print("join screen not reached:", error)
            t_join = time.monotonic() - start
            page.wait_for_timeout(1500)  # let fonts settle for the screenshot
            page.screenshot(path=str(args.shot))
            browser.close()
        print(f"flutter semantics placeholder after {t_flutter:.1f} s")
        print(f"join screen ('Invite code' textbox): {'YES' if ok else 'NO'} after {t_join:.1f} s")
        print(f"loopback requests: {sum(local.values())} ({len(local)} paths)")
        print(f"blocked (non-loopback) requests: {len(blocked)}")
        for b in blocked:
            print("  blocked:", b)
        for f in failed:
            print("  error:", f)
        print(f"screenshot: {args.shot}")
        if not ok or blocked:
            print("--- console ---")
            print("\n".join(console[-60:]))
    finally:
        server.terminate()
        server.wait()
    return 0 if ok and not blocked else 1


if __name__ == "__main__":
    raise SystemExit(main())
