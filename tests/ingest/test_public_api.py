"""The ingest package's public surface: what the CLI and the web import."""

from __future__ import annotations

import lindung.ingest


def test_the_ingest_package_exports_exactly_its_public_names() -> None:
    assert sorted(lindung.ingest.__all__) == sorted(
        [
            "FINDING_TYPES",
            "TRANSITIONS",
            "Finding",
            "Imported",
            "Limits",
            "Location",
            "Report",
            "RuleSet",
            "RuleViolation",
            "acting_user",
            "check_file",
            "file_hash",
            "import_file",
            "load_rules",
            "make_template",
            "may_act_for",
            "move",
            "register_user",
        ]
    )
    assert all(hasattr(lindung.ingest, name) for name in lindung.ingest.__all__)
