"""``lindung serve`` runs a real server on loopback, with a secret generated once and kept."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lindung.store import make_engine, upgrade


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_loopback_and_keeps_a_generated_secret_private(
    tmp_path: Path, saved_logins: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    port = free_port()
    environment = {
        **os.environ,
        "LINDUNG_DATABASE_URL": url,
        "LINDUNG_CONFIG_DIR": str(saved_logins),
    }
    environment.pop("LINDUNG_SECRET_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "lindung", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                    policy = response.headers["Content-Security-Policy"]
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"the server did not answer: {server.communicate(timeout=5)}")
                time.sleep(0.2)
        assert "ASEAN overview" in page
        assert "unsafe-inline" not in policy
        secret = saved_logins / "web-secret"
        assert secret.stat().st_mode & 0o777 == 0o600
        assert len(secret.read_text().strip()) >= 32
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}/" in out
