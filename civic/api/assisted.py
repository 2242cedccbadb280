"""Assisted participation (代办) API: staff register residents met in person and hand over claim codes; a
resident claims their account and reads what was done in their name. Acting for a resident elsewhere in the
API is the header `X-Acting-For` (civic.acting; `ACTING_FOR` below documents it on each endpoint)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import accounts, selectors, services
from ..models import Area, AreaLevel, AssistedResident, AuditEntry
from ..registry import ASSISTED_ACTIONS
from ..services import holds_perm
from .throttling import ScopedRateThrottle
from .utils import validated

User = get_user_model()

# --- serializers ---------------------------------------------------------------------------------------


class AssistedResidentSerializer(serializers.ModelSerializer):
    """An assisted resident as staff of the area see them (personal data included: never public)."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.public_name", read_only=True)
    phone = serializers.CharField(source="user.login_phone", read_only=True, allow_null=True)
    cell = serializers.CharField(source="cell.code", read_only=True)
    registered_by = serializers.CharField(source="registered_by.public_name", read_only=True)

    class Meta:
        model = AssistedResident
        fields = [
            "id",
            "name",
            "phone",
            "id_last4",
            "cell",
            "registered_by",
            "registered_at",
            "consent_at",
            "claimed_at",
        ]


class AssistedRegisterSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=60)
    cell = serializers.CharField(max_length=32, help_text="The grid cell's code")
    address = serializers.CharField(max_length=200)
    id_last4 = serializers.CharField(max_length=8)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(help_text="The resident agreed in person")


class ClaimCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Shown once; hand it over in person")
    valid_days = serializers.IntegerField(read_only=True)


class ClaimSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class TokenOutSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AssistedActSerializer(serializers.ModelSerializer):
    """One thing done in a person's name; `assisted_by` is the staff member who did it with them."""

    label = serializers.SerializerMethodField()
    assisted_by = serializers.CharField(source="assisted_by.public_name", read_only=True, allow_null=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "created_at", "action", "label", "object_repr", "area", "channel", "assisted_by"]

    def get_label(self, entry) -> str:
        label = ASSISTED_ACTIONS.get(entry.action)
        return str(label) if label is not None else entry.action


# --- views ---------------------------------------------------------------------------------------------


class AssistedResidentListView(generics.ListAPIView):
    """The assisted residents of your areas (organisers and officials), paginated like every list (counted
    per request: a queue of the caller's areas); register one met in person."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AssistedResidentSerializer

    def get_queryset(self):
        services.require_perm(self.request.user, "civic.view_assisted_residents")
        return selectors.assisted_residents_for(self.request.user, self.request.query_params.get("q", "")[:60])

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name or last four ID characters")],
        summary="Assisted residents of my areas",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AssistedRegisterSerializer,
        responses={201: AssistedResidentSerializer},
        summary="Register a resident in person",
    )
    def post(self, request):
        services.require_perm(request.user, "civic.view_assisted_residents")
        data = validated(AssistedRegisterSerializer, request)
        cell = Area.objects.filter(code=data.pop("cell"), level=AreaLevel.GRID).first()
        user = services.assisted_register(actor=request.user, cell=cell, **data)
        return Response(AssistedResidentSerializer(user.assisted).data, status=status.HTTP_201_CREATED)


def _resident_or_404(request, pk):
    resident = get_object_or_404(User.objects.select_related("assisted__cell", "assisted__registered_by"), pk=pk)
    if not holds_perm(request.user, "civic.view_assisted_resident", resident, personal=True):
        raise Http404
    return resident


class AssistedResidentDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AssistedResidentSerializer, summary="An assisted resident of my areas")
    def get(self, request, pk):
        return Response(AssistedResidentSerializer(_resident_or_404(request, pk).assisted).data)


class ClaimCodeView(APIView):
    """A new single-use claim code (valid 7 days) for the resident; any earlier unused one stops working."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: ClaimCodeSerializer}, summary="Issue a claim code")
    def post(self, request, pk):
        code = services.claim_code_issue(actor=request.user, resident=_resident_or_404(request, pk))
        return Response({"code": code, "valid_days": settings.CLAIM_CODE_VALID_DAYS}, status=status.HTTP_201_CREATED)


class ClaimView(APIView):
    """Claim an assisted account with its code: sets the password (and optionally an e-mail address or a
    mobile number) and returns an API token. A wrong code counts toward the sign-in lockout (429)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=ClaimSerializer, responses={200: TokenOutSerializer}, summary="Claim my account")
    def post(self, request):
        data = validated(ClaimSerializer, request)
        user = accounts.claim_account(request._request, **data)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MyAssistedActsView(generics.ListAPIView):
    """Everything staff did in my name, in person, newest first."""

    serializer_class = AssistedActSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.assisted_acts_of(self.request.user)
