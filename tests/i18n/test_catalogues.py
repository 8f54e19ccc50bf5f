"""Every message of the web is in the Indonesian catalogue, translated; languages are chosen well."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from lindung import i18n
from lindung.errors import UsageError
from lindung.i18n import labels
from lindung.store import STATUSES

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "lindung" / "i18n" / "locale"


def catalogue(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALE / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=locale)


def extracted() -> set[str | tuple[str, ...]]:
    """Every msgid Babel extracts with babel.cfg (web/ Python and templates, i18n/labels.py)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(ROOT), method_map, options_map)
    return {message for _file, _line, message, _comments, _context in found}


def test_every_message_of_the_web_is_translated_in_the_indonesian_catalogue() -> None:
    indonesian = catalogue("id")
    messages = extracted()
    assert len(messages) > 40, "the extractor found the web's messages"
    for message in messages:
        msgid = message[0] if isinstance(message, tuple) else message
        entry = indonesian.get(msgid)
        assert entry is not None, f"{msgid!r} is missing from id/messages.po: run `make i18n`"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"{msgid!r} is untranslated in id/messages.po"
        assert not entry.fuzzy, f"{msgid!r} is fuzzy in id/messages.po"


def test_the_check_fails_on_a_message_the_catalogue_lacks(tmp_path: Path) -> None:
    # The same lookup as above, on a template with a message no catalogue has.
    template = tmp_path / "src" / "lindung" / "web" / "templates" / "new.html"
    template.parent.mkdir(parents=True)
    template.write_text('{{ _("A page nobody translated") }}')
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = [m[2] for m in extract_from_dir(str(tmp_path), method_map, options_map)]
    assert found == ["A page nobody translated"]
    assert catalogue("id").get(found[0]) is None


def test_the_indonesian_catalogue_states_one_plural_form_itself() -> None:
    header = (LOCALE / "id" / "LC_MESSAGES" / "messages.po").read_text()
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    assert catalogue("id").num_plurals == 1
    # One form for every number: "1 negara anggota", "11 negara anggota".
    assert labels.member_states(1, "id") == "1 negara anggota"
    assert labels.member_states(11, "id") == "11 negara anggota"
    assert labels.member_states(1, "en") == "1 member state"
    assert labels.member_states(11, "en") == "11 member states"


def test_gettext_translates_and_english_is_the_source_text() -> None:
    assert i18n.gettext("Year", "id") == "Tahun"
    assert i18n.gettext("Download CSV", "id") == "Unduh CSV"
    assert i18n.gettext("Year", "en") == "Year"
    assert i18n.gettext("A sentence in no catalogue", "id") == "A sentence in no catalogue"
    assert i18n.translations("id") is i18n.translations("id"), "read once, then cached"


def test_an_unknown_language_is_refused_with_the_ones_lindung_speaks() -> None:
    with pytest.raises(UsageError, match="no 'fr' translation; use one of en, id"):
        i18n.translations("fr")


def test_labels_name_every_submission_status_of_the_store() -> None:
    assert set(labels.SUBMISSION_STATUSES) == set(STATUSES)
    assert [labels.label(status, "id") for status in STATUSES] == [
        "Draf",
        "Disampaikan",
        "Divalidasi",
        "Dikembalikan",
        "Diterbitkan",
    ]


def progress_statuses() -> set[str]:
    """Every status lindung.assess.progress can give: its ``status=`` and ``missing=`` words,
    what its threshold function returns and what it assigns to ``status``."""
    tree = ast.parse((ROOT / "src" / "lindung" / "assess" / "progress.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in {"status", "missing"}:
            if isinstance(node.value, ast.Constant):
                found.add(node.value.value)
        elif isinstance(node, ast.FunctionDef) and node.name == "_status":
            found |= {
                n.value.value
                for n in ast.walk(node)
                if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant)
            }
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            target = node.targets[0]
            if isinstance(target, ast.Tuple) and getattr(target.elts[0], "id", "") == "status":
                found.add(node.value.elts[0].value)  # type: ignore[attr-defined]
    return found


def test_labels_name_every_progress_status_assess_can_give() -> None:
    statuses = progress_statuses()
    assert {"target_achieved", "deterioration", "maintain_progress", "no_target"} <= statuses
    assert set(labels.PROGRESS_STATUSES) == statuses
    assert labels.label("accelerate_progress", "id") == "Percepat kemajuan untuk mencapai target"


def test_an_unknown_label_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"no label for 'archived'; known: .*draft"):
        labels.label("archived", "id")


@pytest.mark.parametrize(
    ("query", "cookie", "header", "chosen"),
    [
        ("id", "en", "en-GB,en;q=0.9", "id"),  # ?lang= first
        (None, "id", "en-GB,en;q=0.9", "id"),  # then the remembered choice
        ("fr", "id", "en", "id"),  # an unknown ?lang= is ignored
        (None, None, "fr-FR,id-ID;q=0.8,en;q=0.5", "id"),  # then Accept-Language by quality
        (None, None, "en;q=0.4,id;q=0.6", "id"),
        (None, None, "id;q=0,en;q=0.1", "en"),  # q=0 means "not this one"
        (None, None, "fr, de;q=0.9", "en"),  # nothing Lindung speaks: English
        (None, None, "id;q=abc, en", "en"),  # a broken quality drops that entry
        (None, None, None, "en"),
        ("ID-id", None, None, "id"),
    ],
)
def test_the_language_is_chosen_from_query_then_cookie_then_accept_language(
    query: str | None, cookie: str | None, header: str | None, chosen: str
) -> None:
    assert i18n.negotiate(query, cookie, header) == chosen
