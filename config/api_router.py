"""The API's resources under /api/v1/: kebab-case plural names, one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import AuthTokenView, RegionViewSet, UserMeView
from evaluation.api import views as evaluation_api
from party.api import statistics as party_statistics_api
from party.api import views as party_api
from projects.api import contracts as contracts_api
from projects.api import oversight as projects_oversight_api
from projects.api import views as projects_api
from registry.api.views import ApplicationViewSet, OrganizationViewSet
from supervision.api.views import (
    AbnormalListingViewSet,
    AnnualReportViewSet,
    RevocationViewSet,
    SeriousViolationListingViewSet,
)

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("applications", ApplicationViewSet, basename="application")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("abnormal-listings", AbnormalListingViewSet, basename="abnormal-listing")
router.register("serious-violation-listings", SeriousViolationListingViewSet, basename="serious-violation-listing")
router.register("revocations", RevocationViewSet, basename="revocation")
# The party app lists its resources (prefix, viewset, basename) in its api modules.
for prefix, viewset, basename in (*party_api.ROUTES, *party_statistics_api.ROUTES):
    router.register(prefix, viewset, basename=basename)
router.register("projects", projects_api.ProjectViewSet, basename="project")
router.register("budget-lines", projects_api.BudgetLineViewSet, basename="budget-line")
router.register("indicators", projects_api.IndicatorViewSet, basename="indicator")
router.register("ledger-entries", projects_api.LedgerEntryViewSet, basename="ledger-entry")
router.register("expenditures", projects_api.ExpenditureViewSet, basename="expenditure")
router.register("quarterly-submissions", projects_api.QuarterlySubmissionViewSet, basename="quarterly-submission")
router.register("major-activities", projects_api.MajorActivityReportViewSet, basename="major-activity")
router.register("funders", contracts_api.FunderViewSet, basename="funder")
router.register("contracts", contracts_api.ContractViewSet, basename="contract")
router.register("milestones", contracts_api.MilestoneViewSet, basename="milestone")
router.register("payments", contracts_api.PaymentViewSet, basename="payment")
router.register("project-reviews", projects_oversight_api.ProjectReviewViewSet, basename="project-review")
router.register("supervision-visits", projects_oversight_api.SupervisionVisitViewSet, basename="supervision-visit")
for prefix, viewset, basename in evaluation_api.ROUTES:
    router.register(prefix, viewset, basename=basename)

app_name = "api"
urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
    path("auth/token/", AuthTokenView.as_view(), name="auth-token"),
    *router.urls,
    # The anonymous survey answer (POST), keyed by the survey's public token.
    *evaluation_api.URLS,
]
