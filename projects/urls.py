"""URLs of the projects app."""

from django.urls import path

from .views import contracts as views_contracts
from .views import expenditures as views_expenditures
from .views import funders as views_funders
from .views import oversight as views_oversight
from .views import payments as views_payments
from .views import projects as views
from .views import uploads as views_upload

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/transition/<slug:name>/", views.ProjectTransitionView.as_view(), name="project_transition"),
    path("<int:project_pk>/budget-lines/add/", views.BudgetLineAddView.as_view(), name="budgetline_add"),
    path("budget-lines/<int:pk>/delete/", views.budget_line_delete, name="budgetline_delete"),
    path("<int:project_pk>/indicators/add/", views.IndicatorAddView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/value/", views.indicator_value, name="indicator_value"),
    path("<int:project_pk>/entries/add/", views.LedgerEntryAddView.as_view(), name="ledgerentry_add"),
    path("<int:pk>/ledger/template/", views_upload.ledger_template, name="ledger_template"),
    path("<int:pk>/ledger/export/", views_upload.ledger_quarter_export, name="ledger_quarter_export"),
    path("<int:pk>/ledger/upload/", views_upload.ledger_upload, name="ledger_upload"),
    path("<int:pk>/ledger/upload/confirm/", views_upload.ledger_upload_confirm, name="ledger_upload_confirm"),
    path("<int:project_pk>/expenditures/add/", views.ExpenditureAddView.as_view(), name="expenditure_add"),
    path("<int:pk>/expenditures/template/", views_upload.expenditure_template, name="expenditure_template"),
    path("<int:pk>/expenditures/upload/", views_upload.expenditure_upload, name="expenditure_upload"),
    path(
        "<int:pk>/expenditures/upload/confirm/",
        views_upload.expenditure_upload_confirm,
        name="expenditure_upload_confirm",
    ),
    path("<int:project_pk>/adjustments/add/", views.BudgetAdjustmentAddView.as_view(), name="budgetadjustment_add"),
    path(
        "adjustments/<int:pk>/<slug:decision>/",
        views.BudgetAdjustmentDecideView.as_view(),
        name="budgetadjustment_decide",
    ),
    path(
        "<int:pk>/quarters/<int:year>/<int:quarter>/submit/",
        views.QuarterlySubmissionSubmitView.as_view(),
        name="quarterlysubmission_submit",
    ),
    path("entries/", views.LedgerEntryListView.as_view(), name="ledgerentry_list"),
    path("entries/<int:pk>/", views.LedgerEntryDetailView.as_view(), name="ledgerentry_detail"),
    path("entries/<int:pk>/edit/", views.LedgerEntryEditView.as_view(), name="ledgerentry_edit"),
    path("entries/<int:pk>/correct/", views.LedgerEntryEditView.as_view(correct=True), name="ledgerentry_correct"),
    path("entries/<int:pk>/<slug:name>/", views.LedgerEntryActionView.as_view(), name="ledgerentry_action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("expenditures/", views.ExpenditureListView.as_view(), name="expenditure_list"),
    path("expenditures/<int:pk>/voucher/", views.expenditure_voucher, name="expenditure_voucher"),
    path("expenditures/<int:pk>/", views_expenditures.ExpenditureDetailView.as_view(), name="expenditure_detail"),
    path(
        "expenditures/<int:pk>/reverse/",
        views_expenditures.ExpenditureReverseView.as_view(),
        name="expenditure_reverse",
    ),
    path("reviews/", views_oversight.ProjectReviewListView.as_view(), name="projectreview_list"),
    path("reviews/<int:pk>/", views_oversight.ProjectReviewDetailView.as_view(), name="projectreview_detail"),
    path("<int:project_pk>/reviews/add/", views_oversight.ProjectReviewAddView.as_view(), name="projectreview_add"),
    path("supervision-visits/", views_oversight.SupervisionVisitListView.as_view(), name="supervisionvisit_list"),
    path(
        "supervision-visits/<int:pk>/",
        views_oversight.SupervisionVisitDetailView.as_view(),
        name="supervisionvisit_detail",
    ),
    path(
        "supervision-visits/<int:pk>/rectify/",
        views_oversight.SupervisionVisitRectifyView.as_view(),
        name="supervisionvisit_rectify",
    ),
    path(
        "<int:project_pk>/supervision-visits/add/",
        views_oversight.SupervisionVisitAddView.as_view(),
        name="supervisionvisit_add",
    ),
    path("quarterly-submissions/", views.QuarterlySubmissionListView.as_view(), name="quarterlysubmission_list"),
    path(
        "quarterly-submissions/<int:pk>/",
        views.QuarterlySubmissionDetailView.as_view(),
        name="quarterlysubmission_detail",
    ),
    path(
        "quarterly-submissions/<int:pk>/<slug:name>/",
        views.QuarterlySubmissionActionView.as_view(),
        name="quarterlysubmission_action",
    ),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("major-activities/", views.MajorActivityReportListView.as_view(), name="majoractivity_list"),
    path("major-activities/add/", views.MajorActivityReportAddView.as_view(), name="majoractivity_add"),
    path("major-activities/<int:pk>/", views.MajorActivityReportDetailView.as_view(), name="majoractivity_detail"),
    path(
        "major-activities/<int:pk>/<slug:name>/", views.MajorActivityActionView.as_view(), name="majoractivity_action"
    ),
    # Purchase of services: funders, contracts with their milestones, payments.
    path("funders/", views_funders.FunderListView.as_view(), name="funder_list"),
    path("funders/add/", views_funders.FunderEditView.as_view(), name="funder_add"),
    path("funders/<int:pk>/", views_funders.FunderDetailView.as_view(), name="funder_detail"),
    path("funders/<int:pk>/edit/", views_funders.FunderEditView.as_view(), name="funder_edit"),
    path(
        "funders/<int:funder_pk>/accounts/add/",
        views_funders.FunderAccountAddView.as_view(),
        name="funderaccount_add",
    ),
    path("contracts/", views_contracts.ContractListView.as_view(), name="contract_list"),
    path("<int:project_pk>/contract/add/", views_contracts.ContractAddView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/", views_contracts.ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/amend/", views_contracts.ContractAmendView.as_view(), name="contract_amend"),
    path("contracts/<int:pk>/file/", views_contracts.contract_file, name="contract_file"),
    path("milestones/", views_contracts.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/<int:pk>/", views_contracts.MilestoneDetailView.as_view(), name="milestone_detail"),
    path("milestones/<int:pk>/<slug:name>/", views_contracts.MilestoneActionView.as_view(), name="milestone_action"),
    path("milestones/<int:milestone_pk>/payments/add/", views_payments.PaymentAddView.as_view(), name="payment_add"),
    path("payments/", views_payments.PaymentListView.as_view(), name="payment_list"),
    path("payments/<int:pk>/", views_payments.PaymentDetailView.as_view(), name="payment_detail"),
    path("payments/<int:payment_pk>/reverse/", views_payments.PaymentReverseView.as_view(), name="payment_reverse"),
]
