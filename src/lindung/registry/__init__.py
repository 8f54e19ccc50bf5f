"""Administrative data at registry scale: coverage, targeting errors and data quality counted
exactly from a social registry and its beneficiary lists, read where they lie."""

from lindung.registry.coverage import (
    AREAS,
    DOMAINS,
    MEASURES,
    QUALITY,
    CoverageOptions,
    CoverageResult,
    Program,
    count_coverage,
    registry_coverage,
)

__all__ = [
    "AREAS",
    "DOMAINS",
    "MEASURES",
    "QUALITY",
    "CoverageOptions",
    "CoverageResult",
    "Program",
    "count_coverage",
    "registry_coverage",
]
