from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casework.api import urls as casework_api
from civic.api import urls as civic_api
from consultations.api import urls as consultations_api
from deliberation.api import urls as deliberation_api
from funding.api import urls as funding_api
from proposals.api import urls as proposals_api
from scorecard.api import urls as scorecard_api

from . import views
from .forms import AdminLoginForm

# The admin signs in through the same check and lockout as the sign-in form and the API token.
admin.site.login_form = AdminLoginForm
admin.site.site_header = _("Co-governance platform administration")
admin.site.site_title = _("Administration")

# The civic core's own pages (namespace "civic"); the site's routes follow.
civic_patterns = [
    path("", views.home, name="home"),
    path("areas/", views.area_list, name="area-list"),
    path("areas/<str:code>/", views.area_detail, name="area-detail"),
    path("areas/<str:code>/roles/", views.area_roles, name="area-roles"),
    path("roles/<int:pk>/revoke/", views.area_role_revoke, name="area-role-revoke"),
    path("display/", views.display_mode, name="display-mode"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me-edit"),
    path("me/close/", views.me_deactivate, name="me-deactivate"),
    path("me/assisted/", views.me_assisted, name="me-assisted"),
    path("assisted/", views.assisted_list, name="assisted-list"),
    path("assisted/new/", views.assisted_new, name="assisted-new"),
    path("assisted/<int:pk>/", views.assisted_detail, name="assisted-detail"),
    path("assisted/<int:pk>/claim-code/", views.assisted_claim_code, name="assisted-claim-code"),
    path("assisted/<int:pk>/act/", views.acting_begin, name="acting-start"),
    path("assisted/stop/", views.acting_end, name="acting-stop"),
    path("claim/", views.claim_account, name="claim-account"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("verification/", views.verification_request, name="verification-request"),
    path("verification/<int:pk>/withdraw/", views.verification_withdraw, name="verification-withdraw"),
    path("verifications/", views.verification_queue, name="verification-queue"),
    path("verifications/<int:pk>/decide/", views.verification_decide, name="verification-decide"),
    path("verifications/<int:pk>/proof/", views.verification_proof, name="verification-proof"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_register, name="organisation-register"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/members/", views.organisation_members, name="organisation-members"),
    path("organisations/<int:pk>/join/", views.organisation_join, name="organisation-join"),
    path("organisations/<int:pk>/confirm/", views.organisation_confirm, name="organisation-confirm"),
    path("organisation-requests/<int:pk>/", views.organisation_request_decide, name="organisation-request-decide"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("report/<str:type_label>/<int:pk>/", views.report_content, name="report-content"),
    path("moderation/", views.moderation_queue, name="moderation-queue"),
    path("moderation/<int:pk>/", views.moderation_case, name="moderation-case"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("notifications/preferences/", views.notification_preferences, name="notification-preferences"),
    path("audit/", views.audit_list, name="audit-list"),
    path("areas/<str:code>/notices/", views.notice_list, name="notice-list"),
    path("areas/<str:code>/notices/new/", views.notice_new, name="notice-new"),
    path("areas/<str:code>/notices/feed.atom", views.notice_feed, name="notice-feed"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    # Public uploads (project photos), in every environment; other files have views that check permission.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_public, name="media"),
]

# Every app's API under /api/ in one namespace "api" (names like "api:proposal-list").
api_patterns = [
    *deliberation_api.urlpatterns,  # first: a ballot (the API's busiest write) is found in four steps, not sixty
    *civic_api.urlpatterns,
    *proposals_api.urlpatterns,
    *funding_api.urlpatterns,
    *consultations_api.urlpatterns,
    *casework_api.urlpatterns,
    *scorecard_api.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI (served from our own static files) sets one inline style; allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]

urlpatterns = [
    # first: an API call (every ballot is one) is resolved without trying each page's pattern; no page's
    # address starts with api/
    path("api/", include((api_patterns, "api"))),
    # then the pages read most, each passed over in a step or two by the others' addresses: the proposals'
    # and consultations' (one prefix each), casework (two: the work queue a unit's members keep open, the
    # boards); then the civic core's patterns, tried one by one. No two of these match the same address
    # (tests/test_urls.py), so their order only sets how soon each is found.
    path("proposals/", include("proposals.urls")),
    path("consultations/", include("consultations.urls")),
    path("", include("casework.urls")),
    path("", include((civic_patterns, "civic"))),
    path("", include("deliberation.urls")),
    path("", include("funding.urls")),
    path("", include("scorecard.urls")),
    path("open311/v2/", include("casework.open311.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),  # Django's, with no CSRF token (views.display)
    path("admin/", admin.site.urls),
]

if settings.CIVIC_BENCH_BARE_VIEW:
    # bench/http.py's yardstick: a two-byte answer through the whole middleware stack, at an unlisted
    # address that exists only when the benchmark turns it on.
    from django.http import HttpResponse

    def _bare(request):
        return HttpResponse(b"ok", content_type="text/plain")

    urlpatterns.append(path("_bench/bare/", _bare))
