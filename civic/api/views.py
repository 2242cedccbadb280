from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from civic.errors import InvalidInput, NotAllowed
from civic.models import Area, AreaLevel

from .serializers import AreaSerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """Exchange an e-mail address and password for an API token, or revoke the current one."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, summary="Obtain a token")
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, email=data.validated_data["email"], password=data.validated_data["password"])
        if user is None:
            raise InvalidInput("credentials_invalid", _("The e-mail address or the password is not correct."))
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            raise NotAllowed("email_unverified", _("Please confirm your e-mail address first."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None}, summary="Revoke the current token")
    def delete(self, request):
        if not request.user.is_authenticated:
            raise NotAllowed("not_authenticated", _("You are not signed in."))
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person's own account."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user


@extend_schema(
    parameters=[
        OpenApiParameter("parent", str, description="Only the children of the area with this code"),
        OpenApiParameter(
            "level",
            str,
            description="Only areas of this level",
            enum=["city", "district", "subdistrict", "community", "grid"],
        ),
    ]
)
class AreaListView(generics.ListAPIView):
    """The area tree: city → district → subdistrict → community → grid cell."""

    serializer_class = AreaSerializer
    permission_classes = [permissions.AllowAny]

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
    serializer_class = AreaSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    def get_queryset(self):
        return Area.objects.select_related("parent").annotate(child_count=Count("children"))
