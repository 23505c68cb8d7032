"""URLs of the party app's pages (namespace party), mounted at /party/ (config.urls)."""

from django.urls import path

from .views import contacts, meetings, organizations, statistics

app_name = "party"

urlpatterns = [
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("organizations/", organizations.PartyOrganizationListView.as_view(), name="partyorganization_list"),
    path("organizations/new/", organizations.PartyOrganizationEditView.as_view(), name="partyorganization_create"),
    path(
        "organizations/<int:pk>/", organizations.PartyOrganizationDetailView.as_view(), name="partyorganization_detail"
    ),
    path(
        "organizations/<int:pk>/edit/", organizations.PartyOrganizationEditView.as_view(), name="partyorganization_edit"
    ),
    path(
        "organizations/<int:pk>/<str:name>/",
        organizations.party_organization_transition,
        name="partyorganization_transition",
    ),
    path("coverage/", organizations.PartyCoverageListView.as_view(), name="partycoverage_list"),
    path("coverage/should-form-own/", organizations.UnformedListView.as_view(), name="unformed_list"),
    path("coverage/new/", organizations.PartyCoverageRecordView.as_view(), name="partycoverage_create"),
    path("coverage/<int:pk>/", organizations.PartyCoverageDetailView.as_view(), name="partycoverage_detail"),
    path("contacts/", contacts.ContactRecordListView.as_view(), name="contactrecord_list"),
    path("contacts/overdue/", contacts.OverdueListView.as_view(), name="overdue_list"),
    path("contacts/new/", contacts.ContactRecordEditView.as_view(), name="contactrecord_create"),
    path("contacts/<int:pk>/", contacts.ContactRecordDetailView.as_view(), name="contactrecord_detail"),
    path("contacts/<int:pk>/edit/", contacts.ContactRecordEditView.as_view(), name="contactrecord_edit"),
    path("contacts/<int:pk>/attach/", contacts.contact_attach, name="contactrecord_attach"),
    path("contacts/attachments/<int:pk>/download/", contacts.attachment_download, name="contactattachment_download"),
    path("activities/", meetings.PartyActivityListView.as_view(), name="partyactivity_list"),
    path("activities/new/", meetings.PartyActivityEditView.as_view(), name="partyactivity_create"),
    path("activities/<int:pk>/", meetings.PartyActivityDetailView.as_view(), name="partyactivity_detail"),
    path("activities/<int:pk>/edit/", meetings.PartyActivityEditView.as_view(), name="partyactivity_edit"),
    path("meetings/", meetings.JointMeetingListView.as_view(), name="jointmeeting_list"),
    path("meetings/new/", meetings.JointMeetingEditView.as_view(), name="jointmeeting_create"),
    path("meetings/<int:pk>/", meetings.JointMeetingDetailView.as_view(), name="jointmeeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.JointMeetingEditView.as_view(), name="jointmeeting_edit"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="jointmeeting_minutes"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add, name="jointmeeting_decision_add"),
    path("decisions/<int:pk>/<str:name>/", meetings.decision_transition, name="meetingdecision_transition"),
]
