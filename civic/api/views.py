"""The civic core's API: parse, call a service or selector, serialize. Nothing else."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import accounts, selectors, services
from civic.api.parsers import JSONParser
from civic.api.throttling import ScopedRateThrottle
from civic.api.utils import validated
from civic.errors import InvalidInput, NotAllowed, NotFound
from civic.models import (
    Area,
    AreaLevel,
    AreaRole,
    Membership,
    ModerationCase,
    NotificationPreference,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    ResidencyVerification,
    VerificationStatus,
)
from civic.predicates import sees_person
from civic.registry import NOTIFICATION_KINDS, moderation_adapter

from . import serializers as s

User = get_user_model()


def _area(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound("area_unknown", _("No area has the code %(code)s.") % {"code": code}, field="area")
    return area


# --- accounts -------------------------------------------------------------------------------------


class TokenView(APIView):
    """Exchange an e-mail address (or a mobile number) and password for an API token, or revoke the current one.

    Signs in through civic.accounts.authenticate, so a failure here counts toward the same lockout as the
    sign-in form and the admin login, and a locked account gets 429 `too_many_login_attempts`."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenSerializer}, summary="Obtain a token")
    def post(self, request):
        data = validated(s.TokenRequestSerializer, request)
        login = data.get("email") or data["phone"]
        user = accounts.authenticate(request._request, email=login, password=data["password"])
        if user is None:
            raise InvalidInput("credentials_invalid", _("The e-mail address or the password is not correct."))
        by_phone = not data.get("email")  # a mobile number was entered by staff in person: no e-mail to confirm
        if (
            not by_phone
            and not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
        ):
            raise NotAllowed("email_unverified", _("Please confirm your e-mail address first."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None}, summary="Revoke the current token")
    def delete(self, request):
        if not request.user.is_authenticated:
            raise NotAllowed("not_authenticated", _("You are not signed in."))
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in person's own profile."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(request=s.MeSerializer, responses=s.MeSerializer)
    def patch(self, request):
        serializer = s.MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = request.user
        data = {
            "display_name": user.display_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "bio": user.bio,
            **serializer.validated_data,
        }
        services.profile_update(user=user, **data)
        return Response(s.MeSerializer(user).data)


class PersonView(generics.RetrieveAPIView):
    """A person's public profile."""

    serializer_class = s.PublicProfileSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        person = get_object_or_404(User, pk=self.kwargs["pk"])
        if not sees_person(self.request.user, person):
            raise NotFound("not_found", _("Not found."))
        person.verified_resident = selectors.effective_verification(person) is not None
        return person


# --- areas ----------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("parent", str, description="Only the children of the area with this code"),
        OpenApiParameter("level", str, description="Only areas of this level", enum=AreaLevel.values),
    ]
)
class AreaListView(generics.ListAPIView):
    """The area tree: city → district → subdistrict → community → grid cell."""

    serializer_class = s.AreaSerializer
    permission_classes = [permissions.AllowAny]

    def get_count_scopes(self):  # the count is kept until an area is written (civic.api.pagination)
        return ["areas"]

    def get_queryset(self):
        queryset = Area.objects.select_related("parent").annotate(child_count=Count("children")).order_by("path")
        if parent := self.request.query_params.get("parent"):
            queryset = queryset.filter(parent__code=parent)
        if level := self.request.query_params.get("level"):
            if level not in AreaLevel.values:
                raise InvalidInput("area_level_unknown", _("Unknown area level “%(level)s”.") % {"level": level})
            queryset = queryset.filter(level=level)
        return queryset


class AreaDetailView(generics.RetrieveAPIView):
    serializer_class = s.AreaSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    def get_queryset(self):
        return Area.objects.select_related("parent").annotate(child_count=Count("children"))


class AreaEligibilityView(APIView):
    """Whether the signed-in person is a verified resident of this area (or of an area under it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.EligibilitySerializer)
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        return Response({"area": area.code, "eligible": selectors.is_eligible(request.user, area)})


class AreaTimelineView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.TimelineEntrySerializer(many=True))
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        return Response(s.TimelineEntrySerializer(selectors.timeline_for_area(area), many=True).data)


class AreaRolesView(APIView):
    """Who holds a role covering this area; officials of the area (or above) give roles."""

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    @extend_schema(responses=s.AreaRoleSerializer(many=True))
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        return Response(s.AreaRoleSerializer(selectors.area_role_holders(area), many=True).data)

    @extend_schema(request=s.RoleGrantSerializer, responses={201: s.AreaRoleSerializer})
    def post(self, request, code):
        area = get_object_or_404(Area, code=code)
        services.require_perm(
            request.user, "civic.grant_role", area, _("Only an official of this area or above can assign roles here.")
        )
        data = validated(s.RoleGrantSerializer, request)
        person = selectors.active_person_by_email(data["email"])
        role = services.area_role_grant(actor=request.user, user=person, area=area, role=data["role"])
        return Response(s.AreaRoleSerializer(role).data, status=status.HTTP_201_CREATED)


class AreaRoleRevokeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ReasonSerializer, responses={204: None}, summary="Take a role back")
    def post(self, request, pk):
        area_role = get_object_or_404(AreaRole, pk=pk)
        services.require_perm(
            request.user,
            "civic.grant_role",
            area_role.area,
            _("Only an official of this area or above can change roles here."),
        )
        data = validated(s.ReasonSerializer, request)
        services.area_role_revoke(actor=request.user, area_role=area_role, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- residency verification ----------------------------------------------------------------------


class MyVerificationsView(APIView):
    """Your residency verifications; ask for a new one (multipart, with an optional proof file)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]  # the API's JSON parser, with its limits

    @extend_schema(responses=s.VerificationSerializer(many=True))
    def get(self, request):
        return Response(s.VerificationSerializer(selectors.verification_history(request.user), many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.VerificationRequestSerializer}, responses={201: s.VerificationSerializer}
    )
    def post(self, request):
        data = validated(s.VerificationRequestSerializer, request)
        cell = Area.objects.filter(code=data["cell"]).first()
        if cell is None:
            raise NotFound("area_unknown", _("No area has the code %(code)s.") % {"code": data["cell"]}, field="cell")
        verification = services.verification_request(
            user=request.user, cell=cell, address=data["address"], proof=data.get("proof")
        )
        return Response(s.VerificationSerializer(verification).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("status", str, enum=["pending", "approved"])])
class VerificationQueueView(generics.ListAPIView):
    """Requests waiting in the areas where you are organiser or official."""

    serializer_class = s.VerificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        services.require_perm(self.request.user, "civic.view_verification_queue")
        wanted = self.request.query_params.get("status", VerificationStatus.PENDING)
        if wanted not in (VerificationStatus.PENDING, VerificationStatus.APPROVED):
            raise InvalidInput("status_unknown", _("Choose pending or approved."))
        return selectors.verification_queue(self.request.user, status=wanted)


class VerificationActionView(APIView):
    """approve · reject (reason) · revoke (reason) · withdraw (your own)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=s.ReasonSerializer, responses=s.VerificationSerializer)
    def post(self, request, pk):
        verification = get_object_or_404(ResidencyVerification, pk=pk)
        if self.action_name == "approve":
            verification = services.verification_approve(verification=verification, actor=request.user)
        elif self.action_name == "withdraw":
            verification = services.verification_withdraw(verification=verification, user=request.user)
        else:
            services.require_perm(
                request.user,
                "civic.decide_verification",
                verification,
                _("Only organisers and officials of this area can decide."),
            )
            reason = validated(s.ReasonSerializer, request)["reason"]
            service = services.verification_reject if self.action_name == "reject" else services.verification_revoke
            verification = service(verification=verification, actor=request.user, reason=reason)
        return Response(s.VerificationSerializer(verification).data)


# --- organisations --------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=OrganisationKind.values),
        OpenApiParameter("area", str, description="Serving this area (code), below or above it"),
    ]
)
class OrganisationListView(generics.ListCreateAPIView):
    """Confirmed organisations; register a new one (you become its representative)."""

    serializer_class = s.OrganisationSerializer

    def get_count_scopes(self):  # organisations written, hidden, areas served; the areas' own paths
        return ["organisations", "areas"]

    def get_queryset(self):
        kind = self.request.query_params.get("kind") or None
        if kind and kind not in OrganisationKind.values:
            raise InvalidInput("organisation_kind_unknown", _("Unknown kind of organisation."))
        area = _area(self.request.query_params["area"]) if self.request.query_params.get("area") else None
        return selectors.organisation_list(kind=kind, area=area)

    @extend_schema(request=s.OrganisationWriteSerializer, responses={201: s.OrganisationSerializer})
    def post(self, request):
        data = validated(s.OrganisationWriteSerializer, request)
        if "kind" not in data:
            raise InvalidInput("organisation_kind_unknown", _("Unknown kind of organisation."), field="kind")
        organisation = services.organisation_register(
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            credit_code=data.get("credit_code"),
            description=data.get("description", ""),
            areas=[_area(code) for code in data["areas"]],
        )
        organisation.member_count = 1
        return Response(s.OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    def _get(self, pk):
        organisation = get_object_or_404(
            Organisation.objects.annotate(member_count=Count("memberships")).prefetch_related("areas"), pk=pk
        )
        if not self.request.user.has_perm("civic.view_organisation", organisation):
            raise NotFound("not_found", _("Not found."))
        return organisation

    @extend_schema(responses=s.OrganisationSerializer)
    def get(self, request, pk):
        return Response(s.OrganisationSerializer(self._get(pk)).data)

    @extend_schema(request=s.OrganisationUpdateSerializer, responses=s.OrganisationSerializer)
    def patch(self, request, pk):
        organisation = self._get(pk)
        services.require_perm(
            request.user,
            "civic.manage_organisation",
            organisation,
            _("Only the organisation's representatives can edit it."),
        )
        data = validated(s.OrganisationUpdateSerializer, request, partial=True)
        services.organisation_update(
            actor=request.user,
            organisation=organisation,
            name=data.get("name", organisation.name),
            description=data.get("description", organisation.description),
            areas=[_area(code) for code in data["areas"]] if "areas" in data else list(organisation.areas.all()),
        )
        return Response(s.OrganisationSerializer(self._get(pk)).data)


class OrganisationConfirmView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.OrganisationSerializer, summary="Confirm an organisation (officials)")
    def post(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        services.organisation_confirm(actor=request.user, organisation=organisation)
        organisation = Organisation.objects.annotate(member_count=Count("memberships")).get(pk=pk)
        return Response(s.OrganisationSerializer(organisation).data)


class OrganisationMembersView(generics.ListAPIView):
    """Members (public, paginated like every list); ask to join (signed in)."""

    serializer_class = s.MembershipSerializer

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):
        self.organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"], is_hidden=False)
        return (
            self.organisation.memberships.select_related("user")
            .only("id", "role", "joined_at", "user__id", "user__display_name")
            .order_by("role", "joined_at", "id")
        )

    def get_count_scopes(self):  # every membership written or removed bumps its organisation's page
        return [f"organisation:{self.organisation.pk}"]

    @extend_schema(summary="Members of an organisation")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.JoinRequestSerializer, responses={201: s.OrganisationRequestSerializer}, summary="Ask to join"
    )
    def post(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk, is_hidden=False)
        data = validated(s.JoinRequestSerializer, request)
        join = services.organisation_request_join(
            user=request.user, organisation=organisation, message=data.get("message", "")
        )
        return Response(s.OrganisationRequestSerializer(join).data, status=status.HTTP_201_CREATED)


class OrganisationRequestsView(APIView):
    """Pending requests and invitations of an organisation (its representatives); invite someone."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.OrganisationRequestSerializer(many=True))
    def get(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        services.require_perm(request.user, "civic.manage_organisation", organisation)
        return Response(
            s.OrganisationRequestSerializer(selectors.pending_requests_for_organisation(organisation), many=True).data
        )

    @extend_schema(
        request=s.InviteSerializer, responses={201: s.OrganisationRequestSerializer}, summary="Invite someone"
    )
    def post(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        services.require_perm(
            request.user,
            "civic.manage_organisation",
            organisation,
            _("Only the organisation's representatives can invite."),
        )
        data = validated(s.InviteSerializer, request)
        invitation = services.organisation_invite(
            actor=request.user, organisation=organisation, email=data["email"], role=data["role"]
        )
        return Response(s.OrganisationRequestSerializer(invitation).data, status=status.HTTP_201_CREATED)


class MyInvitationsView(generics.ListAPIView):
    serializer_class = s.OrganisationRequestSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        return selectors.pending_invitations(self.request.user)


class OrganisationRequestActionView(APIView):
    """accept · decline (the representatives for a request to join; the invited person for an
    invitation) · withdraw (whoever sent it)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=None, responses=s.OrganisationRequestSerializer)
    def post(self, request, pk):
        membership_request = get_object_or_404(OrganisationRequest, pk=pk)
        if self.action_name == "withdraw":
            result = services.organisation_request_withdraw(actor=request.user, request=membership_request)
        else:
            result = services.organisation_request_decide(
                actor=request.user, request=membership_request, accept=self.action_name == "accept"
            )
        return Response(s.OrganisationRequestSerializer(result).data)


class MembershipDeleteView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Remove a member, or leave")
    def delete(self, request, pk):
        services.membership_remove(actor=request.user, membership=get_object_or_404(Membership, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationTimelineView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.TimelineEntrySerializer(many=True))
    def get(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk, is_hidden=False)
        return Response(s.TimelineEntrySerializer(selectors.timeline_for_organisation(organisation), many=True).data)


# --- moderation -----------------------------------------------------------------------------------


class ReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ReportSerializer, responses={201: None}, summary="Report content to the moderators")
    def post(self, request):
        data = validated(s.ReportSerializer, request)
        try:
            app_label, model = data["content_type"].split(".")
            model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        except (ValueError, ContentType.DoesNotExist):
            model_class = None
        if model_class is None or moderation_adapter(model_class) is None:
            raise InvalidInput("not_reportable", _("This cannot be reported."), field="content_type")
        obj = model_class.objects.filter(pk=data["object_id"]).first()
        if obj is None:
            raise NotFound("not_found", _("Not found."), field="object_id")
        services.content_report(reporter=request.user, obj=obj, reason=data["reason"], text=data.get("text", ""))
        return Response(status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("decided", bool)])
class ModerationCaseListView(generics.ListAPIView):
    serializer_class = s.ModerationCaseSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        services.require_perm(self.request.user, "civic.view_moderation_queue")
        decided = self.request.query_params.get("decided") in ("1", "true")
        return selectors.moderation_queue(self.request.user, decided=decided)


class ModerationDecideView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ModerationDecisionSerializer, responses=s.ModerationCaseSerializer)
    def post(self, request, pk):
        case = get_object_or_404(ModerationCase, pk=pk)
        services.require_perm(request.user, "civic.decide_case", case, _("Only a moderator of this area can decide."))
        data = validated(s.ModerationDecisionSerializer, request)
        case = services.moderation_decide(actor=request.user, case=case, hide=data["hide"], reason=data["reason"])
        return Response(s.ModerationCaseSerializer(case).data)


# --- notifications --------------------------------------------------------------------------------


class NotificationListView(generics.ListAPIView):
    serializer_class = s.NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_count_scopes(self):  # every notification of a person bumps `person:PK`
        return [f"person:{self.request.user.pk}"]

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)


class NotificationReadView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.MarkReadSerializer, responses={200: None}, summary="Mark notifications as read")
    def post(self, request):
        data = validated(s.MarkReadSerializer, request)
        count = services.notification_mark_read(user=request.user, ids=data.get("ids"))
        return Response({"marked": count, "unread": selectors.unread_count(request.user)})


class NotificationPreferencesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _current(self, user):
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
        return {key: chosen.get(key, default) for key, (_label, default) in NOTIFICATION_KINDS.items()}

    @extend_schema(responses=s.PreferencesSerializer)
    def get(self, request):
        return Response({"preferences": self._current(request.user)})

    @extend_schema(request=s.PreferencesSerializer, responses=s.PreferencesSerializer)
    def put(self, request):
        data = validated(s.PreferencesSerializer, request)  # a kind nobody registered is refused there
        for kind, delivery in data["preferences"].items():
            services.notification_preference_set(user=request.user, kind=kind, delivery=delivery)
        return Response({"preferences": self._current(request.user)})


# --- audit ----------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("action", str, description="Actions starting with this, e.g. verification."),
        OpenApiParameter("actor", str, description="E-mail of whoever acted"),
        OpenApiParameter("area", str, description="Area code: entries in this area and under it"),
        OpenApiParameter("since", str, description="YYYY-MM-DD"),
        OpenApiParameter("until", str, description="YYYY-MM-DD"),
    ]
)
class AuditListView(generics.ListAPIView):
    """The audit log of your areas (officials) or of everything (administrators)."""

    serializer_class = s.AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        from datetime import date

        services.require_perm(self.request.user, "civic.view_audit")
        params = self.request.query_params
        dates = {}
        for key in ("since", "until"):
            if params.get(key):
                try:
                    dates[key] = date.fromisoformat(params[key])
                except ValueError as error:
                    raise InvalidInput("date_invalid", _("Dates are written YYYY-MM-DD."), field=key) from error
        area = _area(params["area"]) if params.get("area") else None
        return selectors.audit_entries(
            self.request.user, action=params.get("action", ""), actor_email=params.get("actor", ""), area=area, **dates
        )
