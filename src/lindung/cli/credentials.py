"""The logins saved on this machine: one token per (store, e-mail), in the user's config folder.

The file is ``credentials.json`` in ``$LINDUNG_CONFIG_DIR`` (default: the platform's user config
folder for ``lindung``), readable by its owner only (mode 0600, folder 0700), written whole to a
temporary file and renamed, so an interrupted write never leaves half a file. Each store (its URL
without any password) has the tokens of the accounts logged in to it and which one is active.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from lindung.errors import StoreError
from lindung.settings import config_folder


def credentials_path() -> Path:
    """Return where the saved logins live."""
    return config_folder() / "credentials.json"


def _read() -> dict[str, Any]:
    path = credentials_path()
    if not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(
            f"the saved logins in {path} cannot be read ({error}); delete the file and log in again"
        ) from None
    if not isinstance(content, dict) or not isinstance(content.get("stores", {}), dict):
        raise StoreError(f"{path} is not a Lindung credentials file; delete it and log in again")
    return content


def _write(content: dict[str, Any]) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _store(content: dict[str, Any], store: str) -> dict[str, Any]:
    entry = content.setdefault("stores", {}).setdefault(store, {})
    entry.setdefault("tokens", {})
    return dict(entry)


def saved_login(store: str, email: str | None) -> tuple[str, str] | None:
    """Return (e-mail, token) of the named account, or of the active one; None if not saved."""
    entry = _read().get("stores", {}).get(store) or {}
    saved = entry.get("tokens") or {}
    chosen = email.lower() if email is not None else entry.get("active")
    if not isinstance(chosen, str) or not isinstance(saved.get(chosen), str):
        return None
    return chosen, str(saved[chosen])


def logged_in(store: str) -> list[str]:
    """Return the e-mails with a saved login for this store, in order."""
    entry = _read().get("stores", {}).get(store) or {}
    return sorted(entry.get("tokens") or {})


def save_login(store: str, email: str, token: str) -> None:
    """Save a token for (store, e-mail) and make that account the active one."""
    content = _read()
    entry = _store(content, store)
    entry["tokens"] = {**entry["tokens"], email: token}
    entry["active"] = email
    content["stores"][store] = entry
    _write(content)


def forget_login(store: str, email: str) -> str | None:
    """Remove the saved token of (store, e-mail); return it, or None if there was none."""
    content = _read()
    entry = _store(content, store)
    tokens = dict(entry["tokens"])
    token = tokens.pop(email, None)
    entry["tokens"] = tokens
    if entry.get("active") == email:
        entry["active"] = next(iter(sorted(tokens)), None)
    content["stores"][store] = entry
    _write(content)
    return None if token is None else str(token)
