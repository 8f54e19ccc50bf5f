"""What `import lindung` offers is exactly the documented public surface."""

from __future__ import annotations

import lindung


def test_the_top_level_exports_are_exactly_these() -> None:
    assert sorted(lindung.__all__) == sorted(
        [
            "AssessmentError",
            "Catalogue",
            "CatalogueInvalid",
            "FrameworkError",
            "Indicator",
            "LindungError",
            "MemberState",
            "NotFound",
            "PermissionDenied",
            "StoreError",
            "SubmissionError",
            "SurveyResult",
            "SurveySpec",
            "SurveySpecError",
            "UnknownCode",
            "ValidationFailed",
            "__version__",
            "estimate",
            "load_catalogue",
            "load_spec",
        ]
    )
    assert all(hasattr(lindung, name) for name in lindung.__all__)


def test_every_error_is_a_lindung_error() -> None:
    errors = [
        getattr(lindung, name)
        for name in lindung.__all__
        if name.endswith(("Error", "Invalid", "Code", "Failed", "Denied", "NotFound"))
    ]
    assert len(errors) == 11
    assert all(issubclass(error, lindung.LindungError) for error in errors)
