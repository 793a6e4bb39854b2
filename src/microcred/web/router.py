"""All the server-rendered pages, as one router."""

from __future__ import annotations

from fastapi import APIRouter

from microcred.web import (
    analytics_page,
    auth_pages,
    award_list_page,
    awards_pages,
    branding_pages,
    bulk_pages,
    catalogue_page,
    claim_pages,
    dashboard_page,
    demo_pages,
    designer,
    finder_pages,
    job_pages,
    lti_pages,
    mapping_page,
    ob2_upgrade_page,
    oid4vp_page,
    pathway_pages,
    public_credential_page,
    recognition_pages,
    signup_pages,
    specification_page,
    status_actions,
    verify_page,
    wallet_pages,
)

router = APIRouter(include_in_schema=False)
router.include_router(catalogue_page.router)
router.include_router(dashboard_page.router)
router.include_router(designer.router)
router.include_router(specification_page.router)
router.include_router(verify_page.router)
router.include_router(ob2_upgrade_page.router)
router.include_router(auth_pages.router)
router.include_router(signup_pages.router)
router.include_router(mapping_page.router)
router.include_router(claim_pages.router)
router.include_router(public_credential_page.router)
router.include_router(awards_pages.router)
router.include_router(award_list_page.router)
router.include_router(status_actions.router)
router.include_router(bulk_pages.router)
router.include_router(job_pages.router)
router.include_router(lti_pages.router)
router.include_router(wallet_pages.router)
router.include_router(pathway_pages.router)
router.include_router(finder_pages.router)
router.include_router(recognition_pages.router)
router.include_router(oid4vp_page.router)
router.include_router(analytics_page.router)
router.include_router(branding_pages.router)
router.include_router(demo_pages.router)
