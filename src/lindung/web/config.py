"""The web's own settings, read from ``lindung.settings``: the secret that signs cookies.

The secret comes from ``LINDUNG_SECRET_KEY``; when unset, one is generated on the first start and
kept in the config folder (mode 0600), so sessions survive a restart and no secret is ever a
constant in code.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from lindung.errors import SettingInvalid
from lindung.settings import SECRET_KEY, config_folder

SECRET_FILE = "web-secret"


def secret_key() -> str:
    """Return the secret that signs the web's cookies (the setting, else the kept one)."""
    configured = SECRET_KEY.value()
    if configured is not None:
        return configured
    folder = config_folder()
    path = folder / SECRET_FILE
    if path.exists():
        return _read(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_hex(32)
    # O_EXCL: two workers starting at once must not each write their own secret.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret)
    return secret


def _read(path: Path) -> str:
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise SettingInvalid(
            f"the web secret kept in {path} is shorter than 32 characters; delete the file to "
            "have a new one generated, or set LINDUNG_SECRET_KEY"
        )
    return secret
