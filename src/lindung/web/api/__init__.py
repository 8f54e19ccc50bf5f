"""The JSON API, ``/api/v1``: one module per resource, each with its own router."""

from fastapi import APIRouter

from lindung.web.api import (
    assess,
    countries,
    framework,
    observations,
    progress,
    submissions,
    survey,
    tokens,
)

router = APIRouter(prefix="/api/v1")
router.include_router(framework.router)
router.include_router(countries.router)
router.include_router(assess.router)
router.include_router(progress.router)
router.include_router(observations.router)
router.include_router(submissions.router)
router.include_router(survey.router)
router.include_router(tokens.router)

__all__ = ["router"]
