"""Lindung's settings, each declared once here: name, environment variable, type, default, help.

A setting is read from its ``LINDUNG_...`` environment variable each time it is asked for
(``DATABASE_URL.value()``), so a server, a script or a test that sets the variable is heard by
the next call. An empty variable counts as unset. ``lindung settings`` lists every setting with
its current value, and ``docs/cli.md`` documents each (a test holds the two together).

To add one: declare it below and add it to ``SETTINGS``, add its row to the table in
``docs/cli.md``, and read it where it is used, never at import time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs

from lindung.errors import SettingInvalid

__all__ = [
    "CONFIG_DIR",
    "DATABASE_URL",
    "DUCKDB_MEMORY",
    "DUCKDB_THREADS",
    "FOUR_EYES",
    "IMPORT_MAX_CELLS",
    "IMPORT_MAX_COLUMNS",
    "IMPORT_MAX_FILE_BYTES",
    "IMPORT_MAX_FINDINGS",
    "IMPORT_MAX_FOLDER_BYTES",
    "IMPORT_MAX_FOLDER_FILES",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_UNZIPPED_BYTES",
    "IMPORT_MAX_ZIP_MEMBERS",
    "SECRET_KEY",
    "SESSION_LIFETIME_HOURS",
    "SETTINGS",
    "SPARK_SHUFFLE_PARTITIONS",
    "SURVEY_BLOCK_PSUS",
    "TOKEN",
    "TOKEN_LIFETIME_DAYS",
    "Setting",
    "config_folder",
]

T = TypeVar("T")

# DuckDB's own spelling of a memory size; nothing else may reach its SET statement.
_SIZE = re.compile(r"[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: what it is called, what it holds, its default and what it is for."""

    name: str
    kind: str
    default: T
    help: str
    #: Turns the variable's text into the value; raises SettingInvalid saying what to give.
    parse: Callable[[str], T]
    #: How the default reads in the docs when it is not a plain value (e.g. a computed path).
    default_text: str | None = None
    #: Whether the value may hold a password, to be hidden when shown.
    secret: bool = False
    #: Whether the whole value is a secret (a token), never shown.
    hidden: bool = False

    @property
    def env(self) -> str:
        """Return the environment variable that sets it: ``LINDUNG_`` and the name."""
        return f"LINDUNG_{self.name.upper()}"

    def value(self, environ: Mapping[str, str] | None = None) -> T:
        """Return the value set in the environment, or the default when unset or empty."""
        raw = (os.environ if environ is None else environ).get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            return self.parse(raw)
        except SettingInvalid as error:
            raise SettingInvalid(
                f"{self.env}={raw!r} is not {self.kind}: {error}; "
                f"unset it or see `lindung settings`"
            ) from None

    def is_set(self, environ: Mapping[str, str] | None = None) -> bool:
        """Return whether the environment sets it (a non-empty variable)."""
        return bool((os.environ if environ is None else environ).get(self.env, "").strip())

    def shown(self, value: T) -> str:
        """Return ``value`` as ``lindung settings`` and the docs print it (passwords hidden)."""
        if value is None:
            return self.default_text or "-"
        if self.hidden:
            return "***"
        text = _text_of(value)
        return _PASSWORD.sub(r"\1***@", text) if self.secret else text


def _text_of(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int):
        return f"{value:_}"
    return str(value)


def _count(raw: str) -> int:
    try:
        number = int(raw.replace("_", ""))
    except ValueError:
        raise SettingInvalid("give a whole number such as 4") from None
    if number < 1:
        raise SettingInvalid("give 1 or more")
    return number


def _optional_count(raw: str) -> int | None:
    return _count(raw)


def _size(raw: str) -> str:
    if not _SIZE.fullmatch(raw):
        raise SettingInvalid("give a number and a unit such as 512MB or 2GB")
    return raw.replace(" ", "")


def _optional_text(raw: str) -> str | None:
    return raw


def _hours(raw: str) -> int:
    hours = _count(raw)
    if hours > 24 * 31:
        raise SettingInvalid("give at most 744 hours; a web session should end within a month")
    return hours


def _secret(raw: str) -> str:
    if len(raw) < 32:
        raise SettingInvalid("give at least 32 random characters, e.g. from `openssl rand -hex 32`")
    return raw


def _days(raw: str) -> int:
    days = _count(raw)
    if days > 366:
        raise SettingInvalid("give at most 366 days; a login should be renewed at least yearly")
    return days


_SWITCH = {"1": True, "true": True, "yes": True, "on": True}
_SWITCH |= {"0": False, "false": False, "no": False, "off": False}


def _switch(raw: str) -> bool:
    if raw.lower() not in _SWITCH:
        raise SettingInvalid("give 1, true, yes or on, or 0, false, no or off")
    return _SWITCH[raw.lower()]


DATABASE_URL: Setting[str | None] = Setting(
    "database_url",
    "a URL",
    None,
    "The store: sqlite:///PATH or postgresql+psycopg://USER@HOST/DB.",
    _optional_text,
    default_text="lindung.sqlite in the user data folder",
    secret=True,
)
DUCKDB_MEMORY: Setting[str] = Setting(
    "duckdb_memory",
    "a size",
    "1GB",
    "DuckDB's memory cap for survey estimates; past it, sorts and sums spill to a temporary "
    "folder.",
    _size,
)
DUCKDB_THREADS: Setting[int | None] = Setting(
    "duckdb_threads",
    "a count",
    None,
    "DuckDB's threads for survey estimates when --threads is not given; 1 keeps a run on one core.",
    _optional_count,
    default_text="one per core",
)
SURVEY_BLOCK_PSUS: Setting[int] = Setting(
    "survey_block_psus",
    "a count",
    16384,
    "PSUs per block of whole strata (at most, unless one stratum has more) when a survey's "
    "PSU totals are made and used a block at a time, as they are when its PSUs make more than "
    "three blocks.",
    _count,
)
SPARK_SHUFFLE_PARTITIONS: Setting[int | None] = Setting(
    "spark_shuffle_partitions",
    "a count",
    None,
    "Partitions of each Spark shuffle (spark.sql.shuffle.partitions) in a session Lindung "
    "starts; unset, the cluster's own setting if it has one.",
    _optional_count,
    default_text="two per core of the Spark application (at least four in local mode)",
)
IMPORT_MAX_FILE_BYTES: Setting[int] = Setting(
    "import_max_file_bytes",
    "a count",
    20_000_000,
    "Largest submission file checked or imported, in bytes.",
    _count,
)
IMPORT_MAX_UNZIPPED_BYTES: Setting[int] = Setting(
    "import_max_unzipped_bytes",
    "a count",
    25_000_000,
    "Largest size a submission workbook may unzip to, in bytes.",
    _count,
)
IMPORT_MAX_ZIP_MEMBERS: Setting[int] = Setting(
    "import_max_zip_members",
    "a count",
    500,
    "Most parts a submission workbook's zip may hold.",
    _count,
)
IMPORT_MAX_ROWS: Setting[int] = Setting(
    "import_max_rows",
    "a count",
    20_000,
    "Most data rows of a submission file (all sheets together).",
    _count,
)
IMPORT_MAX_COLUMNS: Setting[int] = Setting(
    "import_max_columns",
    "a count",
    60,
    "Most columns of a submission sheet or CSV.",
    _count,
)
IMPORT_MAX_CELLS: Setting[int] = Setting(
    "import_max_cells",
    "a count",
    400_000,
    "Most cells of a submission workbook, every sheet together (the full template has about "
    "15,000); checked before a sheet is parsed, by check, import and --annotate alike.",
    _count,
)
IMPORT_MAX_FINDINGS: Setting[int] = Setting(
    "import_max_findings",
    "a count",
    500,
    "Most findings a check lists, stores or marks with --annotate; one more says how many "
    "there are in all.",
    _count,
)
IMPORT_MAX_FOLDER_FILES: Setting[int] = Setting(
    "import_max_folder_files",
    "a count",
    1_000,
    "Most entries the data folder of an Open SDG import may hold (lindung import open-sdg); "
    "counted before any file is read.",
    _count,
)
IMPORT_MAX_FOLDER_BYTES: Setting[int] = Setting(
    "import_max_folder_bytes",
    "a count",
    200_000_000,
    "Largest total size of the files in the data folder of an Open SDG import, in bytes; "
    "checked before any file is read.",
    _count,
)
FOUR_EYES: Setting[bool] = Setting(
    "four_eyes",
    "on or off",
    True,
    "Whoever imported or validated a submission cannot also publish it; 0 lets one reviewer do "
    "both.",
    _switch,
)

TOKEN_LIFETIME_DAYS: Setting[int] = Setting(
    "token_lifetime_days",
    "a count",
    30,
    "Days a login (a personal token from lindung login) lasts before it must be renewed.",
    _days,
)
CONFIG_DIR: Setting[str | None] = Setting(
    "config_dir",
    "a folder",
    None,
    "Where lindung login saves its tokens (credentials.json, readable by its owner only).",
    _optional_text,
    default_text="the user config folder",
)
TOKEN: Setting[str | None] = Setting(
    "token",
    "a token",
    None,
    "A personal token used instead of the saved login (for CI and scripts).",
    _optional_text,
    hidden=True,
)
SECRET_KEY: Setting[str | None] = Setting(
    "secret_key",
    "a secret",
    None,
    "Signs the web's session and form cookies; when unset, `lindung serve` generates one and "
    "keeps it in the config folder (readable by its owner only).",
    _secret,
    default_text="generated on first start",
    hidden=True,
)
SESSION_LIFETIME_HOURS: Setting[int] = Setting(
    "session_lifetime_hours",
    "a count",
    12,
    "Hours a web sign-in lasts before the browser must sign in again.",
    _hours,
)


def config_folder() -> Path:
    """Return the folder of Lindung's per-user files (saved logins, the web's secret)."""
    return Path(CONFIG_DIR.value() or platformdirs.user_config_dir("lindung", appauthor=False))


#: Every setting, in the order ``lindung settings`` and the docs list them.
SETTINGS: tuple[Setting[Any], ...] = (
    DATABASE_URL,
    DUCKDB_MEMORY,
    DUCKDB_THREADS,
    SURVEY_BLOCK_PSUS,
    SPARK_SHUFFLE_PARTITIONS,
    IMPORT_MAX_FILE_BYTES,
    IMPORT_MAX_UNZIPPED_BYTES,
    IMPORT_MAX_ZIP_MEMBERS,
    IMPORT_MAX_ROWS,
    IMPORT_MAX_COLUMNS,
    IMPORT_MAX_CELLS,
    IMPORT_MAX_FINDINGS,
    IMPORT_MAX_FOLDER_FILES,
    IMPORT_MAX_FOLDER_BYTES,
    TOKEN_LIFETIME_DAYS,
    CONFIG_DIR,
    TOKEN,
    FOUR_EYES,
    SECRET_KEY,
    SESSION_LIFETIME_HOURS,
)
