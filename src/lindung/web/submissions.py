"""What the submission pages and the API share: a received file, and a submission's views.

An uploaded file is judged by its name and first bytes before anything parses it (an ``.xlsx``
must be a zip archive, a ``.csv`` must not be one nor hold NUL bytes) and by its size against
``LINDUNG_IMPORT_MAX_FILE_BYTES``; it is then copied into a private temporary folder under a
cleaned name, checked and imported by ``lindung.ingest`` exactly as the CLI does, and removed.
Who may see what is ``ingest.accounts``'s rule; what a user may do next, ``ingest.workflow``'s.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import IO, Any

from sqlalchemy import Connection

from lindung.errors import NotFound, TooLarge, UsageError
from lindung.framework import Catalogue
from lindung.framework.models import MemberState
from lindung.i18n.labels import label
from lindung.ingest.accounts import (
    may_act_for,
    may_read_unpublished,
    require_country,
    require_unpublished_access,
)
from lindung.ingest.findings import Finding
from lindung.keys import KEY
from lindung.settings import IMPORT_MAX_FILE_BYTES
from lindung.store import (
    COUNTRY_KINDS,
    StoredObservation,
    audit_entries,
    current_observations,
    get_submission,
    get_user,
    list_submissions,
    submission_observations,
)
from lindung.store.submissions import Submission
from lindung.store.users import User
from lindung.text import counted
from lindung.web import locale

ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = (".xlsx", ".csv")
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
MAX_NAME = 120
CHUNK = 1024 * 1024


def clean_name(given: str | None) -> str:
    """Return the upload's file name without folders or unusual characters (kept short)."""
    base = PureWindowsPath(given or "").name.strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip(" .")[:MAX_NAME] or "upload"
    return f"{stem}.{_UNSAFE.sub('', suffix).lower()}" if suffix else stem


def check_upload(name: str, head: bytes, size: int) -> None:
    """Raise UsageError or TooLarge unless the file may be parsed as a template."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"{name} is not a template file; upload the filled .xlsx workbook or the long .csv "
            "that `lindung template make` (or the download on this page) gives"
        )
    limit = IMPORT_MAX_FILE_BYTES.value()
    if size > limit:
        raise TooLarge(
            f"{name} has {counted(size, 'byte')}, more than the limit of {limit:,}; remove "
            "unused sheets or rows and upload it again (the limit is LINDUNG_IMPORT_MAX_FILE_BYTES)"
        )
    if suffix == ".xlsx" and not head.startswith(ZIP_MAGIC):
        raise UsageError(
            f"{name} is not an Excel workbook although its name ends in .xlsx; save it from "
            "Excel or LibreOffice as 'Excel Workbook (.xlsx)' and upload it again"
        )
    if suffix == ".csv" and (head.startswith(ZIP_MAGIC) or b"\x00" in head):
        raise UsageError(
            f"{name} is not a text CSV although its name ends in .csv; save it as "
            "'CSV UTF-8 (comma delimited)' or upload the .xlsx workbook instead"
        )


@contextmanager
def received_file(name: str | None, content: IO[bytes]) -> Iterator[Path]:
    """Yield the uploaded file as a path in a private temporary folder, removed afterwards."""
    shown = clean_name(name)
    head = content.read(512)
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    check_upload(shown, head, size)
    # mkdtemp makes the folder readable by this user only (mode 0700).
    with tempfile.TemporaryDirectory(prefix="lindung-upload-") as folder:
        path = Path(folder) / shown
        with path.open("xb") as copy:
            shutil.copyfileobj(content, copy, CHUNK)
        yield path


def countries_for(user: User, catalogue: Catalogue) -> list[MemberState]:
    """Return the member states the user may upload for; raise PermissionDenied if none."""
    countries = [state for state in catalogue.member_states if may_act_for(user, state.iso3)]
    if not countries:
        # Only a partner acts for no country: the refusal names the role and who can.
        require_country(user, catalogue.member_states[0].iso3, "upload submissions")
    return countries


def findings_shown(
    findings: Sequence[Finding | Mapping[str, Any]], language: str
) -> list[dict[str, Any]]:
    """Return each finding as data in ``language``: code, severity, location, message, fix.

    Takes findings just made or the ones kept in a submission's stored report (which carry
    their texts in every language under ``translations``).
    """
    shown = []
    for finding in findings:
        record = dict(finding.as_dict(language) if isinstance(finding, Finding) else finding)
        texts = record.get("translations", {}).get(language)
        if texts:
            record.update(texts)
        shown.append(record)
    return shown


#: An e-mail address as the store writes them in a submission's source and its audit trail.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class People:
    """Who acted on a submission, as the one who asks may see it.

    The people behind a country's submissions (their e-mail addresses in its source, audit
    trail and notes) are seen by whoever may see its unpublished versions: the secretariat,
    admins and the country's focal points (``ingest.accounts.may_read_unpublished``). Anyone
    else (anonymous visitors, partners, other countries' focal points) sees each address as the
    person's role instead, "a focal point (PHL)", in the page's language.
    """

    def __init__(self, connection: Connection, user: User | None, country: str) -> None:
        self._connection = connection
        self._open = may_read_unpublished(user, country)
        self._roles: dict[str, str] = {}

    def shown(self, text: str | None) -> str | None:
        """Return ``text`` with each e-mail address as the asker may see it."""
        if text is None or self._open:
            return text
        return _EMAIL.sub(lambda found: self._role(found.group(0)), text)

    def _role(self, email: str) -> str:
        if email not in self._roles:
            try:
                person = get_user(self._connection, email)
            except NotFound:
                self._roles[email] = label("role:account", locale.current.get())
            else:
                words = label(f"role:{person['role']}", locale.current.get())
                country = person.get("country")
                self._roles[email] = f"{words} ({country})" if country else words
        return self._roles[email]

    def submission(self, submission: Submission) -> Submission:
        """Return the submission with its source as the asker may see it."""
        if self._open:
            return submission
        shown: Submission = {**submission, "source": self.shown(submission["source"]) or ""}
        return shown


def visible_submissions(
    connection: Connection,
    user: User | None,
    *,
    country: str | None = None,
    status: str | None = None,
) -> list[Submission]:
    """Return the country submissions and survey runs the user may see, newest first, each
    source as the user may see it (:class:`People`)."""
    people: dict[str, People] = {}
    return [
        people.setdefault(row["ref_area"], People(connection, user, row["ref_area"])).submission(
            row
        )
        for row in list_submissions(
            connection, ref_area=country, status=status, kinds=COUNTRY_KINDS
        )
        if row["status"] == "published" or may_read_unpublished(user, row["ref_area"])
    ]


def open_submission(connection: Connection, submission_id: int, user: User | None) -> Submission:
    """Return the submission if the user may see it; raise (401, 403, 404) saying why not."""
    submission = get_submission(connection, submission_id)
    if submission["status"] != "published":
        require_unpublished_access(
            user,
            submission["ref_area"],
            f"see submission {submission_id}, which is {submission['status']}, not published",
        )
    return People(connection, user, submission["ref_area"]).submission(submission)


@dataclass(frozen=True)
class ComparedValue:
    """One value of a submission beside the currently published value of the same key."""

    key: dict[str, Any]
    value: float | None
    unit: str | None
    published: float | None
    published_in: int | None

    @property
    def change(self) -> str:
        """Return 'new', 'same' or 'changed': how the value differs from the published one."""
        if self.published is None:
            return "new"
        if self.value is not None and abs(self.value - self.published) <= 1e-9 * max(
            1.0, abs(self.published)
        ):
            return "same"
        return "changed"

    @property
    def difference(self) -> float | None:
        """Return the value minus the published value, where both exist."""
        if self.value is None or self.published is None:
            return None
        return self.value - self.published


def compared_values(connection: Connection, submission: Submission) -> list[ComparedValue]:
    """Return each value of the submission beside the published value of its key, if any."""
    values = submission_observations(connection, submission["id"])
    series = sorted({row["series"] for row in values})
    published = (
        {
            _key(row): row
            for row in current_observations(
                connection, series=series, areas=[submission["ref_area"]]
            )
        }
        if series
        else {}
    )
    compared = []
    for row in values:
        key = dict(zip(KEY, _key(row), strict=True))
        current = published.get(_key(row))
        compared.append(
            ComparedValue(
                key=key,
                value=row["value"],
                unit=row.get("unit"),
                published=current["value"] if current else None,
                published_in=current["submission_id"] if current else None,
            )
        )
    return compared


def _key(row: StoredObservation) -> tuple[Any, ...]:
    fields: Mapping[str, Any] = row
    return tuple(fields[name] for name in KEY)


def trail(
    connection: Connection, submission: Submission, user: User | None
) -> list[dict[str, Any]]:
    """Return the submission's audit trail, oldest first: when, who (as ``user`` may see them,
    :class:`People`), what, and the note."""
    people = People(connection, user, submission["ref_area"])
    return [
        {
            "at": entry["at"],
            "actor": people.shown(entry["actor"]),
            "action": entry["action"],
            "note": people.shown(entry["detail"].get("note")),
        }
        for entry in audit_entries(connection, entity="submission", entity_id=submission["id"])
    ]


def versions(connection: Connection, submission: Submission, user: User | None) -> list[Submission]:
    """Return every version the user may see of the submission's country, year and kind."""
    return [
        row
        for row in visible_submissions(connection, user, country=submission["ref_area"])
        if row["kind"] == submission["kind"] and row["time_period"] == submission["time_period"]
    ]


def summary(submission: Submission) -> dict[str, Any]:
    """Return the submission without its stored validation report (for lists)."""
    return {name: value for name, value in submission.items() if name != "validation_report"}
