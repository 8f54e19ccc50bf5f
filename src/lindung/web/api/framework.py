"""The framework's catalogue over the API: indicators and member states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from lindung.framework import load_catalogue

router = APIRouter(tags=["framework"])


@router.get("/indicators", summary="Every indicator of the framework")
def indicators() -> list[dict[str, Any]]:
    """Return every indicator with its names, unit, SDG link, tier and crosswalk."""
    return [indicator.summary() for indicator in load_catalogue().indicators]


@router.get("/countries", summary="The eleven ASEAN Member States")
def countries() -> list[dict[str, Any]]:
    """Return each member state's ISO3 and M49 codes, names and year of accession."""
    return [state.model_dump() for state in load_catalogue().member_states]
