"""The HTML pages: one module per page family, each with its own router."""

from fastapi import APIRouter

from lindung.web.pages import (
    account,
    api_reference,
    countries,
    indicators,
    overview,
    reporting,
    submissions,
    survey,
)

router = APIRouter()
router.include_router(overview.router)
router.include_router(indicators.router)
router.include_router(reporting.router)
router.include_router(api_reference.router)
router.include_router(account.router)
router.include_router(countries.router)
router.include_router(submissions.router)
router.include_router(survey.router)

__all__ = ["router"]
