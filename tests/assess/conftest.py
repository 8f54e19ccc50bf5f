"""Running ``lindung assess`` in-process on a store of each engine (the same runner as
tests/cli/conftest.py, which pytest does not share across folders)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from lindung.cli.main import main


@dataclass
class Outcome:
    """What a command printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Outcome]


@pytest.fixture
def lindung(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Run:
    """Return a function that runs ``lindung ARGS`` on a fresh database of each engine."""
    monkeypatch.setenv("LINDUNG_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run
