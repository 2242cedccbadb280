"""Outcome notices API: read notices; officials publish them and see the decisions still waiting."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..errors import InvalidInput, NotFound
from ..models import Area, OutcomeNotice
from .utils import validated

# --- serializers ---------------------------------------------------------------------------------------


class OutcomeNoticeSerializer(serializers.ModelSerializer):
    """A published notice; `working_days_taken` counts from the decision to the publication."""

    area = serializers.CharField(source="area.code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    published_by = serializers.CharField(source="published_by.public_name", read_only=True)
    corrected_by = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    working_days_taken = serializers.SerializerMethodField()
    working_days_allowed = serializers.SerializerMethodField()
    on_time = serializers.SerializerMethodField()

    class Meta:
        model = OutcomeNotice
        fields = [
            "id",
            "area",
            "kind",
            "kind_label",
            "title",
            "body",
            "source_url",
            "source_key",
            "decided_at",
            "published_at",
            "published_by",
            "corrects",
            "corrected_by",
            "url",
            "working_days_taken",
            "working_days_allowed",
            "on_time",
        ]

    def get_corrected_by(self, notice) -> list[int]:
        return [later.pk for later in notice.corrections.all()]

    def get_working_days_taken(self, notice) -> int | None:
        timing = getattr(notice, "timing", None)
        return timing.working_days if timing else None

    def get_working_days_allowed(self, notice) -> int | None:
        timing = getattr(notice, "timing", None)
        return timing.allowed if timing else None

    def get_on_time(self, notice) -> bool | None:
        timing = getattr(notice, "timing", None)
        return timing.on_time if timing else None


class OutcomeNoticeInputSerializer(serializers.Serializer):
    """A new notice. `source_key` names a decision on the platform ("answer:12", "session:3", "ballot:5",
    "award:7", "payment:9"); `corrects` is the id of a notice of the same area that this one corrects."""

    kind = serializers.CharField(max_length=20, help_text=", ".join(selectors.notice_kinds()))
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    source_url = serializers.CharField(required=False, allow_blank=True, default="")
    source_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    decided_at = serializers.DateTimeField()
    corrects = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class UnpublishedDecisionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    source_key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    decided_at = serializers.DateTimeField()
    due = serializers.DateField()
    overdue = serializers.BooleanField()
    answer_days = serializers.IntegerField()
    area = serializers.CharField(source="area_code")
    source_url = serializers.CharField()


# --- views -------------------------------------------------------------------------------------------------


def _kind(request) -> str | None:
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in selectors.notice_kinds():
        raise InvalidInput("kind_unknown", _("Unknown kind of notice."), field="kind")
    return kind


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=selectors.notice_kinds(), description="Only notices of this kind")]
)
class AreaNoticeListView(generics.ListAPIView):
    """Notices of an area and every area under it, newest first (paginated).

    Officials of the area or above publish a notice with POST; a notice is never changed afterwards.
    """

    serializer_class = OutcomeNoticeSerializer

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):
        self.area = get_object_or_404(Area, code=self.kwargs["code"])
        return selectors.notices_for_area(self.area, kind=_kind(self.request))

    def get_count_scopes(self):  # a notice bumps `notices:CODE` of its area and every area above
        return [f"notices:{self.area.code}", "areas"]

    @extend_schema(summary="Outcome notices of an area and below")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        notices = selectors.published_within_deadline(page)
        return self.get_paginated_response(self.get_serializer(notices, many=True).data)

    @extend_schema(
        request=OutcomeNoticeInputSerializer,
        responses={201: OutcomeNoticeSerializer},
        summary="Publish an outcome notice (officials of the area)",
    )
    def post(self, request, code):
        area = get_object_or_404(Area, code=code)
        data = validated(OutcomeNoticeInputSerializer, request)
        notice = services.notice_publish(
            actor=request.user,
            area=area,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            source_url=data["source_url"],
            source_key=data["source_key"],
            decided_at=data["decided_at"],
            corrects=data.get("corrects"),
        )
        notice = selectors.published_within_deadline([selectors.notice_detail(notice.pk)])[0]
        return Response(OutcomeNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OutcomeNoticeSerializer, summary="One outcome notice")
    def get(self, request, pk):
        notice = selectors.notice_detail(pk)
        if notice is None:
            raise NotFound("not_found", _("Not found."))
        return Response(OutcomeNoticeSerializer(selectors.published_within_deadline([notice])[0]).data)


class UnpublishedDecisionsView(APIView):
    """Decisions of the area and below that no notice names yet, the most urgent first (officials only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=UnpublishedDecisionSerializer(many=True), summary="Decisions waiting to be published")
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        services.require_perm(
            request.user,
            "civic.publish_notice",
            area,
            _("Only an official of this area or above can see what waits to be published."),
        )
        return Response(UnpublishedDecisionSerializer(selectors.unpublished_decisions(area), many=True).data)
