"""deploy/Caddyfile in front of a real `phonebank serve`, as the README sets it up: Caddy
terminates HTTPS (its own local CA here instead of Let's Encrypt, on loopback ports),
Phonebank listens on loopback with an https public URL. Skipped where Caddy is not
installed (`apt-get install caddy`)."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync_server.db import Store
from tests.support.phone_bank import PhoneBank
from tests.support.server import ServerProcess, free_port

pytestmark = pytest.mark.slow

CADDYFILE = Path(__file__).resolve().parents[1] / "deploy" / "Caddyfile"


def caddyfile_for_test(https_port: int, http_port: int, upstream: int, folder: Path) -> Path:
    """The repository's Caddyfile with only what a test machine needs changed: the site
    address and upstream port, a local CA, no admin port, ports of our own."""
    text = CADDYFILE.read_text()
    assert "phonebank.example.org {" in text and "reverse_proxy 127.0.0.1:8550" in text
    text = text.replace(
        "phonebank.example.org {", f"https://127.0.0.1:{https_port} {{\n\ttls internal"
    )
    text = text.replace("reverse_proxy 127.0.0.1:8550", f"reverse_proxy 127.0.0.1:{upstream}")
    text = text.replace("/var/log/caddy/phonebank.log", str(folder / "access.log"))
    global_options = ("admin off", "skip_install_trust", f"http_port {http_port}")
    options = "\n\t".join(("{", *global_options, f"https_port {https_port}"))
    path = folder / "Caddyfile"
    path.write_text(f"{options}\n}}\n{text}")
    return path


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, ServerProcess, Path]]:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("Caddy is not installed (apt-get install caddy)")
    db_path = tmp_path / "data" / "phonebank.sqlite"
    db_path.parent.mkdir()
    store = Store(db_path)
    PhoneBank.create(store)
    store.close()
    https_port = free_port()
    server = ServerProcess(db_path, env={"PHONEBANK_PUBLIC_URL": f"https://127.0.0.1:{https_port}"})
    server.start()
    config = caddyfile_for_test(https_port, free_port(), server.port, tmp_path)
    caddy_log = (tmp_path / "caddy.log").open("wb")
    process = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "caddy-data"), "HOME": str(tmp_path)},
        stdout=caddy_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    root = tmp_path / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    url = f"https://127.0.0.1:{https_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "caddy.log").read_text()[-2000:]
            try:
                trusted = ssl.create_default_context(cafile=str(root)) if root.exists() else None
                if trusted and httpx.get(f"{url}/api/health", verify=trusted).is_success:
                    break
            except (httpx.HTTPError, ssl.SSLError):
                pass
            assert time.monotonic() < deadline, (tmp_path / "caddy.log").read_text()[-2000:]
            time.sleep(0.2)
        yield url, server, root
    finally:
        process.terminate()
        process.wait(timeout=10)
        caddy_log.close()
        server.stop()


def test_caddy_serves_phonebank_over_https_and_keeps_metrics_in(
    proxied: tuple[str, ServerProcess, Path],
) -> None:
    url, server, root = proxied
    with httpx.Client(verify=ssl.create_default_context(cafile=str(root))) as client:
        health = client.get(f"{url}/api/health", headers={"X-Request-ID": "via-caddy"})
        assert health.json()["status"] == "ok"
        assert health.headers["x-request-id"] == "via-caddy"
        assert health.headers["strict-transport-security"].startswith("max-age=")
        assert "'wasm-unsafe-eval'" in health.headers["content-security-policy"]
        assert client.get(f"{url}/api/metrics").status_code == 404  # not from the internet
        console = client.get(f"{url}/console/")
        assert console.status_code == 200 and "<html" in console.text.lower()
    assert httpx.get(f"{server.url}/api/metrics").status_code == 200  # on the machine: yes
    assert "via-caddy GET /api/health 200" in server.output()  # the id went through Caddy
