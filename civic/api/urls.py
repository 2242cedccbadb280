from django.urls import path

from . import assisted as a
from . import notices as n
from . import views as v

urlpatterns = [
    path("auth/token/", v.TokenView.as_view(), name="token"),
    path("auth/claim/", a.ClaimView.as_view(), name="claim"),
    path("me/", v.MeView.as_view(), name="me"),
    path("me/assisted-acts/", a.MyAssistedActsView.as_view(), name="my-assisted-acts"),
    path("assisted-residents/", a.AssistedResidentListView.as_view(), name="assisted-residents"),
    path("assisted-residents/<int:pk>/", a.AssistedResidentDetailView.as_view(), name="assisted-resident"),
    path("assisted-residents/<int:pk>/claim-code/", a.ClaimCodeView.as_view(), name="assisted-claim-code"),
    path("me/verifications/", v.MyVerificationsView.as_view(), name="my-verifications"),
    path("me/invitations/", v.MyInvitationsView.as_view(), name="my-invitations"),
    path("people/<int:pk>/", v.PersonView.as_view(), name="person"),
    path("areas/", v.AreaListView.as_view(), name="area-list"),
    path("areas/<str:code>/", v.AreaDetailView.as_view(), name="area-detail"),
    path("areas/<str:code>/eligibility/", v.AreaEligibilityView.as_view(), name="area-eligibility"),
    path("areas/<str:code>/timeline/", v.AreaTimelineView.as_view(), name="area-timeline"),
    path("areas/<str:code>/roles/", v.AreaRolesView.as_view(), name="area-roles"),
    path("area-roles/<int:pk>/revoke/", v.AreaRoleRevokeView.as_view(), name="area-role-revoke"),
    path("verifications/", v.VerificationQueueView.as_view(), name="verifications"),
    *[
        path(
            f"verifications/<int:pk>/{name}/",
            v.VerificationActionView.as_view(action_name=name),
            name=f"api-verification-{name}",
        )
        for name in ("approve", "reject", "revoke", "withdraw")
    ],
    path("organisations/", v.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<int:pk>/", v.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<int:pk>/confirm/", v.OrganisationConfirmView.as_view(), name="organisation-confirm"),
    path("organisations/<int:pk>/members/", v.OrganisationMembersView.as_view(), name="organisation-members"),
    path("organisations/<int:pk>/requests/", v.OrganisationRequestsView.as_view(), name="organisation-requests"),
    path("organisations/<int:pk>/timeline/", v.OrganisationTimelineView.as_view(), name="organisation-timeline"),
    *[
        path(
            f"organisation-requests/<int:pk>/{name}/",
            v.OrganisationRequestActionView.as_view(action_name=name),
            name=f"api-organisation-request-{name}",
        )
        for name in ("accept", "decline", "withdraw")
    ],
    path("memberships/<int:pk>/", v.MembershipDeleteView.as_view(), name="membership"),
    path("reports/", v.ReportView.as_view(), name="reports"),
    path("moderation/cases/", v.ModerationCaseListView.as_view(), name="moderation-cases"),
    path("moderation/cases/<int:pk>/decide/", v.ModerationDecideView.as_view(), name="moderation-decide"),
    path("notifications/", v.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", v.NotificationReadView.as_view(), name="notifications-read"),
    path("notifications/preferences/", v.NotificationPreferencesView.as_view(), name="notification-preferences"),
    path("audit/", v.AuditListView.as_view(), name="audit"),
    path("areas/<str:code>/notices/", n.AreaNoticeListView.as_view(), name="notices"),
    path("areas/<str:code>/notices/unpublished/", n.UnpublishedDecisionsView.as_view(), name="notices-unpublished"),
    path("notices/<int:pk>/", n.NoticeDetailView.as_view(), name="notice"),
]
