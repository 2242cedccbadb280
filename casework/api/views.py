"""The casework API: parse with a serializer, call a service or selector, serialize.

Reading the board and a report is public (the reporter's identity never is); every write is checked by its
service and refused with a stable `code` (docs/api.md)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.errors import InvalidInput
from civic.models import Area, AreaLevel
from civic.services import require_perm

from .. import services
from ..models import Escalation, Report, ReportState, Unit
from ..selectors import (
    STATUS_GROUPS,
    Cursor,
    board,
    categories_in,
    category_in,
    escalations_for,
    intake_queue,
    my_reports,
    report_detail,
    similar_open,
    unit_queue,
    units_of,
)
from ..views.presenting import present_event
from . import serializers as s

MULTIPART = "multipart/form-data"
JSON = "application/json"


def _area(code, field="area") -> Area:
    area = Area.objects.filter(code=(code or "")[:32]).first()
    if area is None:
        raise InvalidInput("area_unknown", _("No area has the code %(code)s.") % {"code": code}, field=field)
    return area


def _report(pk) -> Report:
    return get_object_or_404(Report.objects.select_related("cell", "category", "unit__organisation"), pk=pk)


def _unit(pk, field="unit") -> Unit | None:
    if not pk:
        return None
    unit = Unit.objects.select_related("organisation").filter(pk=pk).first()
    if unit is None:
        raise InvalidInput("unit_unknown", _("There is no such unit."), field=field)
    return unit


def report_picture(pk, request) -> dict:
    try:
        report = report_detail(pk)
    except Report.DoesNotExist:
        raise Http404 from None
    user = request.user
    mine = user.is_authenticated and report.reporter_id == user.pk
    show_private = bool(user.has_perm("casework.view_private", report))
    if report.is_hidden and not (mine or show_private):
        raise Http404
    steps = [present_event(event, show_private=show_private) for event in report.events.all()]
    return s.CaseReportDetailSerializer(
        report, context={"mine": mine, "show_private": show_private, "steps": steps}
    ).data


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, required=True, description="Area code: reports in it and every area under it"),
        OpenApiParameter("status", str, enum=sorted(STATUS_GROUPS)),
        OpenApiParameter("state", str, enum=ReportState.values),
        OpenApiParameter("category", str, description="Category key"),
        OpenApiParameter("cell", str, description="Grid cell code"),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("after", str, description="The `next` cursor of the previous page"),
        OpenApiParameter("limit", int, description="At most 100 (default 20)"),
    ]
)
class ReportListView(APIView):
    """The public board of an area, newest first, in pages by cursor; POST files a report (multipart with
    photos, or JSON without)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        responses=s.CaseBoardSerializer, summary="The public board of an area", operation_id="casework_board"
    )
    def get(self, request):
        params = request.query_params
        area = _area(params.get("area"))
        state = params.get("state") or ""
        if state and state not in ReportState.values:
            raise InvalidInput("state_unknown", _("Unknown state."), field="state")
        status_group = params.get("status") or ""
        if status_group and status_group not in STATUS_GROUPS:
            raise InvalidInput("status_unknown", _("Unknown state."), field="status")
        cell = None
        if params.get("cell"):
            cell = _area(params["cell"], "cell")
            if not area.contains(cell):
                raise InvalidInput("cell_invalid", _("That grid cell is not in this area."), field="cell")
        try:
            limit = int(params.get("limit") or 20)
        except ValueError:
            limit = 20
        page = board(
            area,
            status=status_group,
            state=state,
            category_key=(params.get("category") or "")[:40],
            cell=cell,
            overdue=params.get("overdue") in ("1", "true"),
            after=Cursor.parse(params.get("after")),
            limit=limit,
            cards=False,
        )
        next_cursor = str(page.next_cursor) if page.next_cursor else None
        return Response(s.CaseBoardSerializer({"results": page.rows, "next": next_cursor}).data)

    @extend_schema(
        request={MULTIPART: s.CaseReportCreateSerializer, JSON: s.CaseReportCreateSerializer},
        responses={201: s.CaseReportDetailSerializer},
        summary="Report a problem",
    )
    def post(self, request):
        services.report_allowed(actor=request.user, cell=None)
        data = validated(s.CaseReportCreateSerializer, request)
        cell = Area.objects.filter(code=data["cell"], level=AreaLevel.GRID).first()
        if cell is None:
            raise InvalidInput("cell_invalid", _("Choose a grid cell."), field="cell")
        category = category_in(cell, data["category"])
        if category is None:
            raise InvalidInput(
                "category_not_offered", _("This category is not offered in the chosen grid cell."), field="category"
            )
        report = services.report_file(
            actor=request.user,
            cell=cell,
            category=category,
            place=data["place"],
            text=data["text"],
            files=data["photos"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            channel=data["channel"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
        )
        return Response(report_picture(report.pk, request), status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.CaseReportDetailSerializer, summary="A report with its steps, photos and escalations")
    def get(self, request, pk):
        return Response(report_picture(pk, request))


class MyReportsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.CaseReportListSerializer(many=True), summary="What I reported or am also affected by")
    def get(self, request):
        return Response(s.CaseReportListSerializer(my_reports(request.user)[:200], many=True).data)


class SimilarView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("category", str, required=True)],
        responses=s.CaseReportListSerializer(many=True),
        summary="Open reports of a category in a grid cell (say “me too” instead of reporting again)",
    )
    def get(self, request, code):
        cell = Area.objects.filter(code=code[:32], level=AreaLevel.GRID).first()
        if cell is None:
            raise InvalidInput("cell_invalid", _("Choose a grid cell."), field="cell")
        return Response(
            s.CaseReportListSerializer(
                similar_open(cell, (request.query_params.get("category") or "")[:40]), many=True
            ).data
        )


class CategoriesView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=s.CaseCategorySerializer(many=True), summary="The categories that apply in an area")
    def get(self, request, code):
        area = _area(code)
        withdrawn = request.query_params.get("withdrawn") in ("1", "true")
        return Response(s.CaseCategorySerializer(categories_in(area, include_withdrawn=withdrawn), many=True).data)

    @extend_schema(
        request=s.CaseCategoryInputSerializer,
        responses={200: s.CaseCategorySerializer},
        summary="Define, override or withdraw a category in this area (officials)",
    )
    def post(self, request, code):
        area = _area(code)
        require_perm(
            request.user, "casework.manage_categories", area, _("Only officials of this area can manage categories.")
        )
        data = validated(s.CaseCategoryInputSerializer, request)
        category = services.category_save(
            actor=request.user,
            area=area,
            **{**data, "default_unit": _unit(data["default_unit"], "default_unit")},
        )
        return Response(s.CaseCategorySerializer(category).data)


class UnitsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("category", str, required=True)],
        responses=s.CaseUnitSerializer(many=True),
        summary="The units serving a category in a grid cell",
    )
    def get(self, request, code):
        from ..selectors import units_serving

        cell = _area(code, "cell")
        return Response(
            s.CaseUnitSerializer(units_serving(cell, (request.query_params.get("category") or "")[:40]), many=True).data
        )


class WorkView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.CaseWorkSerializer, summary="My work queues: intake, and each of my units")
    def get(self, request):
        require_perm(request.user, "casework.view_queue", None, _("You handle no reports."))
        units = [{"unit": unit, "queue": unit_queue(unit, cards=False)} for unit in units_of(request.user)]
        intake = intake_queue(request.user, cards=False)
        return Response(s.CaseWorkSerializer({"intake": intake, "units": units}).data)


class EscalationsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("all", bool, description="Include acknowledged ones")],
        responses=s.CaseEscalationSerializer(many=True),
        summary="Escalations (督办) addressed to areas you cover",
    )
    def get(self, request):
        require_perm(
            request.user, "casework.view_escalations", None, _("Only officials and organisers see escalations.")
        )
        open_only = request.query_params.get("all") not in ("1", "true")
        return Response(s.CaseEscalationSerializer(escalations_for(request.user, open_only=open_only), many=True).data)


class EscalationAcknowledgeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.CaseAcknowledgeInputSerializer,
        responses=s.CaseEscalationSerializer,
        summary="Acknowledge an escalation",
    )
    def post(self, request, pk):
        escalation = get_object_or_404(Escalation.objects.select_related("area", "report"), pk=pk)
        data = validated(s.CaseAcknowledgeInputSerializer, request)
        escalation = services.escalation_acknowledge(actor=request.user, escalation=escalation, note=data["note"])
        return Response(s.CaseEscalationSerializer(escalation).data)


# --- the loop: one route per arrow -------------------------------------------------------------------------


ACTIONS = {
    # name: (input serializer or None, the call)
    "accept": (None, lambda user, report, d: services.report_accept(actor=user, report=report)),
    "reject": (
        s.CaseReasonInputSerializer,
        lambda user, report, d: services.report_reject(actor=user, report=report, reason=d["reason"]),
    ),
    "withdraw": (
        s.CaseReasonInputSerializer,
        lambda user, report, d: services.report_withdraw(actor=user, report=report, reason=d["reason"]),
    ),
    "dispatch": (
        s.CaseDispatchInputSerializer,
        lambda user, report, d: services.report_dispatch(actor=user, report=report, unit=_unit(d["unit"])),
    ),
    "refer": (
        s.CaseReferInputSerializer,
        lambda user, report, d: services.report_refer(
            actor=user, report=report, referred_to=d["referred_to"], reason=d["reason"]
        ),
    ),
    "start": (None, lambda user, report, d: services.report_start(actor=user, report=report)),
    "return": (
        s.CaseReturnInputSerializer,
        lambda user, report, d: services.report_return(
            actor=user, report=report, reason=d["reason"], suggested_unit=_unit(d["suggested_unit"], "suggested_unit")
        ),
    ),
    "follow": (None, lambda user, report, d: services.report_follow(actor=user, report=report)),
    "clock-stop": (
        s.CaseClockStopInputSerializer,
        lambda user, report, d: services.clock_stop(actor=user, report=report, reason=d["reason"], note=d["note"]),
    ),
    "clock-resume": (None, lambda user, report, d: services.clock_resume(actor=user, report=report)),
}


def _merge(user, report, data):
    into = Report.objects.filter(pk=data["into"]).first()
    if into is None:
        raise InvalidInput("merge_target_invalid", _("There is no report with that number."), field="into")
    return services.report_merge(actor=user, report=report, into=into)


ACTIONS["merge"] = (s.CaseMergeInputSerializer, _merge)


class ReportActionView(APIView):
    """accept · reject · withdraw · merge · dispatch · refer · start · return · follow · clock-stop ·
    clock-resume: one arrow of the loop (docs/casework.md). 409 when the report moved in the meantime."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    def post(self, request, pk):
        report = _report(pk)
        serializer, call = ACTIONS[self.action_name]
        data = validated(serializer, request) if serializer else {}
        call(request.user, report, data)
        return Response(report_picture(report.pk, request))


def action_view(name):
    """The view of one arrow, with its own request body in the schema."""

    def post(self, request, pk):
        return ReportActionView.post(self, request, pk)

    schema = extend_schema(
        request=ACTIONS[name][0], responses=s.CaseReportDetailSerializer, summary=f"Report: {name.replace('-', ' ')}"
    )
    title = "".join(part.title() for part in name.split("-"))
    view = type(f"Report{title}View", (ReportActionView,), {"action_name": name, "post": schema(post)})
    return view.as_view()


class ResolveView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request={MULTIPART: s.CaseResolveInputSerializer, JSON: s.CaseResolveInputSerializer},
        responses=s.CaseReportDetailSerializer,
        summary="Resolve with a note and photos of the result (the unit)",
    )
    def post(self, request, pk):
        report = _report(pk)
        require_perm(
            request.user, "casework.handle", report, _("Only the unit this report is dispatched to can do this.")
        )
        data = validated(s.CaseResolveInputSerializer, request)
        services.report_resolve(actor=request.user, report=report, note=data["note"], files=data["photos"])
        return Response(report_picture(report.pk, request))


class RateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.CaseRatingInputSerializer,
        responses={201: s.CaseReportDetailSerializer},
        summary="Rate the handling (the reporter; staff at a callback with channel=callback)",
    )
    def post(self, request, pk):
        report = _report(pk)
        channel = request.data.get("channel") if hasattr(request.data, "get") else None
        services.rating_allowed(actor=request.user, report=report, channel=channel or "self")
        data = validated(s.CaseRatingInputSerializer, request)
        services.report_rate(
            actor=request.user, report=report, level=data["level"], comment=data["comment"], channel=data["channel"]
        )
        return Response(report_picture(report.pk, request), status=status.HTTP_201_CREATED)
