"""The framework's catalogue over the API: indicators and member states."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from lindung.errors import UnknownCode
from lindung.framework import load_catalogue
from lindung.web.api.common import NOT_MODIFIED, answer, documented_json, json_bytes, refusals

router = APIRouter(tags=["framework"])

_NAME = {
    "en": "Population covered by at least one social protection benefit",
    "id": "Penduduk yang tercakup oleh sedikitnya satu manfaat perlindungan sosial",
}
INDICATOR_SUMMARY: dict[str, Any] = {
    "code": "SI_COV_BENFTS",
    "name": _NAME,
    "unit": "percent",
    "polarity": "higher_is_better",
    "pillar": "coverage",
    "computation": {"method": "reported"},
    "sdg_indicator": "1.3.1",
    "sdg_series": "SI_COV_BENFTS",
    "tier": "I",
    "custodian": "ILO",
    "crosswalk": [
        {
            "agency": "ILO",
            "code": "SDG_0131_SEX_SOC_RT",
            "note": {"en": "Same definition.", "id": "Definisi sama."},
            "key": {"SOC": "SOC_CONTIG_TOTAL"},
        }
    ],
    "disaggregations": ["SEX"],
    "groups": [],
    "life_dimension": "income_security",
}


@router.get(
    "/indicators",
    summary="Every indicator of the framework",
    responses={
        200: documented_json({"data": [INDICATOR_SUMMARY]}, "The indicators, in catalogue order."),
        **NOT_MODIFIED,
        **refusals(),
    },
    response_model=None,
)
def indicators(request: Request) -> Response:
    """Every indicator with its names in English and Indonesian, unit, SDG link, tier,
    custodian and crosswalk to international definitions."""
    catalogue = load_catalogue()
    return answer(
        request, json_bytes({"data": [indicator.summary() for indicator in catalogue.indicators]})
    )


@router.get(
    "/indicators/{code}",
    summary="One indicator with its definition and metadata",
    responses={
        200: documented_json(
            {
                **INDICATOR_SUMMARY,
                "definition": {"en": "Share of the population ...", "id": "Proporsi ..."},
                "sdg": {
                    "goal": 1,
                    "target": "1.3",
                    "indicator": "1.3.1",
                    "series": "SI_COV_BENFTS",
                    "tier": "II",
                },
                "target": None,
                "source": "ILO World Social Protection Database",
            },
            "The indicator as the catalogue defines it, every text in English and Indonesian.",
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def indicator(
    request: Request,
    code: Annotated[str, Path(max_length=50, description="The series code, e.g. SI_COV_BENFTS.")],
) -> Response:
    """One indicator: its name and definition in both languages, unit, polarity, pillar, how
    it is computed, SDG goal/target/indicator and global tier, custodian agency, crosswalk,
    disaggregations, regional target and source."""
    found = load_catalogue().indicator(code.strip().upper())
    return answer(request, json_bytes({**found.model_dump(), **found.summary()}))


@router.get(
    "/countries",
    summary="The eleven ASEAN Member States",
    responses={
        200: documented_json(
            {
                "data": [
                    {
                        "iso3": "IDN",
                        "m49": 360,
                        "name": {"en": "Indonesia", "id": "Indonesia"},
                        "member_since": 1967,
                    }
                ]
            },
            "The member states in catalogue order.",
        ),
        **NOT_MODIFIED,
        **refusals(),
    },
    response_model=None,
)
def countries(request: Request) -> Response:
    """Each member state's ISO3 and M49 codes, names in both languages and year of accession."""
    states = [state.model_dump() for state in load_catalogue().member_states]
    return answer(request, json_bytes({"data": states}))
