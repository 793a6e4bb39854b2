"""The JSON REST API under /api, as one router."""

from __future__ import annotations

from fastapi import APIRouter

from microcred.api import (
    analytics,
    compliance,
    finder,
    institutions,
    ob2_upgrades,
    pathways,
    recognition,
    specifications,
    vocabularies,
    wallet,
)

router = APIRouter()
router.include_router(specifications.router)
router.include_router(compliance.router)
router.include_router(vocabularies.router)
router.include_router(institutions.router)
router.include_router(ob2_upgrades.router)
router.include_router(finder.router)
router.include_router(pathways.router)
router.include_router(wallet.router)
router.include_router(recognition.router)
router.include_router(analytics.router)
