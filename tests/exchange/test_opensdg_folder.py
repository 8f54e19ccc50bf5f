"""``lindung import open-sdg`` on a hostile folder: the data folder is checked before any file
is read (entries, total size, links, special files, subfolders), and rows whose ``GeoCode``
disagrees with ``--area`` refuse the import; nothing is stored either way."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import TooLarge, UsageError
from lindung.exchange.opensdg_in import FolderLimits, checked_data_folder, read_folder
from lindung.framework import Catalogue, load_catalogue
from lindung.store import count, transaction

FOCAL = "focal@example.org"
#: One clean data file of indicator 1.1.1 for Indonesia: 73 bytes (26 + 25 + 22), two values.
CLEAN = "Year,Series,GeoCode,Value\n2019,SI_POV_DAY1,IDN,2.7\n2020,SI_POV_DAY1,,2.5\n"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return an Open SDG folder holding one clean data file."""
    root = tmp_path / "sdg-data"
    (root / "data").mkdir(parents=True)
    (root / "meta").mkdir()
    (root / "data" / "indicator_1-1-1.csv").write_text(CLEAN, encoding="utf-8")
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Return a data file outside the folder, one a link might lead to."""
    path = tmp_path / "elsewhere" / "indicator_1-1-1.csv"
    path.parent.mkdir()
    path.write_text(CLEAN, encoding="utf-8")
    return path


@pytest.fixture
def unix_socket(folder: Path) -> Iterator[Path]:
    path = folder / "data" / "indicator_9-9-9.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_a_clean_folder_passes_and_a_link_to_a_file_inside_it_reads_as_the_file(
    folder: Path, catalogue: Catalogue
) -> None:
    assert len(CLEAN.encode()) == 73
    assert checked_data_folder(folder) == folder / "data"
    kept = folder / "kept" / "poverty.csv"
    kept.parent.mkdir()
    (folder / "data" / "indicator_1-1-1.csv").rename(kept)
    (folder / "data" / "indicator_1-1-1.csv").symlink_to(Path("..") / "kept" / "poverty.csv")

    read = read_folder(folder, "IDN", catalogue)

    assert read.files == ["indicator_1-1-1.csv"] and read.findings == []
    pov = [(r["series"], r["ref_area"], r["time_period"], r["value"]) for r in read.observations]
    assert pov == [("SI_POV_DAY1", "IDN", 2019, 2.7), ("SI_POV_DAY1", "IDN", 2020, 2.5)]


@pytest.mark.parametrize(
    ("make", "said"),
    [
        ("outside-link", "is a symbolic link to {outside}, outside {folder}; replace the link"),
        ("dangling-link", "is a symbolic link to nothing; remove it"),
        ("loop-link", "is a symbolic link to nothing; remove it"),
        ("subfolder", "is a subfolder, not a file; an Open SDG data folder holds only files"),
        ("fifo", "is a FIFO (named pipe), not a file; an Open SDG data folder holds only files"),
        ("socket", "is a socket, not a file;"),
    ],
)
def test_a_link_out_a_special_file_or_a_subfolder_is_refused_naming_it_and_the_fix(
    make: str, said: str, folder: Path, outside: Path, catalogue: Catalogue, request: Any
) -> None:
    path = folder / "data" / "indicator_9-9-9.csv"
    if make == "outside-link":
        path.symlink_to(outside)
    elif make == "dangling-link":
        path.symlink_to(folder / "data" / "gone.csv")
    elif make == "loop-link":
        path.symlink_to(path)
    elif make == "subfolder":
        path.mkdir()
    elif make == "fifo":
        os.mkfifo(path)
    else:
        request.getfixturevalue("unix_socket")

    with pytest.raises(UsageError) as refused:
        read_folder(folder, "IDN", catalogue)

    assert str(refused.value).startswith(f"{path} {said.format(outside=outside, folder=folder)}")


def test_a_device_is_refused(folder: Path) -> None:
    path = folder / "data" / "indicator_9-9-9.csv"
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("this user may not make device files")
    with pytest.raises(UsageError, match="is a character device, not a file"):
        checked_data_folder(folder)


def test_a_data_folder_that_is_a_link_out_of_the_folder_is_refused(
    tmp_path: Path, outside: Path
) -> None:
    root = tmp_path / "sdg-data"
    root.mkdir()
    (root / "data").symlink_to(outside.parent)

    with pytest.raises(UsageError) as refused:
        checked_data_folder(root)

    assert str(refused.value) == (
        f"{root / 'data'} is a symbolic link to {outside.parent}, outside {root}; "
        "copy the data files into the folder instead of linking to them"
    )


def test_the_folder_caps_count_entries_and_add_sizes_before_reading(folder: Path) -> None:
    data = folder / "data"
    (data / "indicator_1-2-1.csv").write_text(CLEAN, encoding="utf-8")
    (data / "README.md").write_text("x" * 24, encoding="utf-8")
    # Three entries of 73 + 73 + 24 = 170 bytes.
    assert checked_data_folder(folder, FolderLimits(max_files=3, max_bytes=170)) == data

    with pytest.raises(TooLarge) as many:
        checked_data_folder(folder, FolderLimits(max_files=2, max_bytes=170))
    assert str(many.value) == (
        f"{data} holds more than 2 entries, the most an import reads; give a folder holding "
        "only the data files, or raise LINDUNG_IMPORT_MAX_FOLDER_FILES"
    )
    with pytest.raises(TooLarge, match=r"add up to more than 169 bytes.*MAX_FOLDER_BYTES$"):
        checked_data_folder(folder, FolderLimits(max_files=3, max_bytes=169))


def test_the_caps_are_the_settings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FOLDER_BYTES", "72")
    with pytest.raises(TooLarge, match="more than 72 bytes"):
        checked_data_folder(folder)
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FOLDER_BYTES", "73")
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FOLDER_FILES", "1")
    assert checked_data_folder(folder) == folder / "data"
    (folder / "data" / "notes.txt").touch()
    with pytest.raises(TooLarge, match="more than 1 entries"):
        checked_data_folder(folder)


@pytest.fixture
def focal(sign_up: Callable[..., None]) -> str:
    sign_up({FOCAL: ("focal_point", "IDN")})
    return FOCAL


def test_the_cli_refuses_a_hostile_folder_and_stores_nothing(
    lindung: Callable[..., Any], engine: Engine, focal: str, folder: Path, outside: Path
) -> None:
    link = folder / "data" / "indicator_1-2-1.csv"
    link.symlink_to(outside)

    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", focal)

    assert done.exit_code == 2
    said = " ".join(done.stderr.split())
    assert f"{link} is a symbolic link to {outside}, outside {folder}" in said
    with transaction(engine) as connection:
        assert count(connection) == 0


def test_a_row_whose_geocode_is_another_area_refuses_the_import(
    lindung: Callable[..., Any], engine: Engine, focal: str, folder: Path
) -> None:
    (folder / "data" / "indicator_1-1-1.csv").write_text(
        CLEAN + "2021,SI_POV_DAY1,PHL,2.4\n", encoding="utf-8"
    )

    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", focal)

    assert done.exit_code == 5
    assert "nothing was stored" in done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "indicator_1-1-1.csv row 4, GeoCode: the row is for 'PHL' but the file is for 'IDN'"
    ) in out
    with transaction(engine) as connection:
        assert count(connection) == 0
    # Without the stray row the same folder imports: GeoCode IDN and blank both mean --area.
    (folder / "data" / "indicator_1-1-1.csv").write_text(CLEAN, encoding="utf-8")
    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", focal)
    assert done.exit_code == 0, done.stderr
    assert "2 observations from 1 data file" in " ".join(done.stdout.split())
