"""Micro-project API: parse with a serializer, call a service or selector, serialize.

Reading is public; every write is checked by its service (officials of the area, the implementer's
members, verified residents for ratings) and refused with a stable `code`.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.acting import acting_pair
from civic.api.utils import ACTING_FOR, validated
from civic.errors import InvalidInput, NotAllowed
from civic.models import Area, Organisation
from civic.selectors import timeline_for
from civic.services import require_perm
from proposals.api.serializers import ProposalListSerializer
from proposals.models import Proposal

from .. import pages, services
from ..models import (
    AwardObjection,
    Commitment,
    EntryKind,
    LedgerEntry,
    MicroProject,
    Milestone,
    ProgressReport,
    SubsidyAward,
)
from ..selectors import projects as project_selectors
from . import serializers as s

PAYMENT_KINDS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT, EntryKind.RECOVERY_DUE, EntryKind.RECOVERY)
TIMELINE_LIMIT = 200
MULTIPART = "multipart/form-data"


def project_or_404(pk) -> MicroProject:
    return get_object_or_404(MicroProject.objects.select_related("area", "implementer", "proposal"), pk=pk)


def _organisation(pk, field: str) -> Organisation | None:
    if not pk:
        return None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise InvalidInput("organisation_unknown", _("There is no organisation with that number."), field=field)
    return organisation


def _brief(project) -> dict:
    return s.ProjectListSerializer(project).data


# --- reading --------------------------------------------------------------------------------------------


def awards_of(project):
    """A project's awards, oldest first, with their objections (two queries)."""
    objections = AwardObjection.objects.select_related("author", "answered_by").order_by("created_at", "id")
    return (
        SubsidyAward.objects.filter(project=project)
        .select_related("policy__area", "charge_area")
        .prefetch_related(Prefetch("objections", queryset=objections))
        .order_by("computed_at", "id")
    )


def project_timeline(project) -> list:
    """The project's story and its proposal's, merged by time. The lines the project wrote on its
    proposal's story as well (they link to the project) are shown once."""
    lines = list(timeline_for(project, limit=TIMELINE_LIMIT))
    if project.proposal_id:
        url = project.get_absolute_url()
        lines += [line for line in timeline_for(project.proposal, limit=TIMELINE_LIMIT) if line.url != url]
    return sorted(lines, key=lambda line: (line.created_at, line.id))


def project_picture(project_pk, request) -> dict:
    """Everything GET /api/projects/<id>/ shows, in a fixed number of queries."""
    try:
        project = project_selectors.project_detail(project_pk)
    except MicroProject.DoesNotExist:
        raise Http404 from None
    extra = {
        "co_funding": project_selectors.co_funding(project),
        "satisfaction": {
            **project_selectors.satisfaction(project),
            "window": project_selectors.rating_period(project),
        },
        "awards": awards_of(project),
        "payments": LedgerEntry.objects.filter(project=project, kind__in=PAYMENT_KINDS)
        .select_related("area")
        .order_by("created_at", "id"),
        "timeline": project_timeline(project),
    }
    return s.ProjectDetailSerializer(project, context={"request": request, "extra": extra}).data


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, description="Area code: projects in it and every area under it"),
        OpenApiParameter("state", str, enum=s.STATES),
    ]
)
class ProjectListView(generics.ListAPIView):
    """Micro-projects, newest first (paginated); officials of the area create one with POST, from an
    adopted proposal (`proposal`: its area is taken and its pledges become commitments) or directly (`area`)."""

    serializer_class = s.ProjectListSerializer

    def get_queryset(self):
        params = self.request.query_params
        area = None
        if params.get("area"):
            area = Area.objects.filter(code=params["area"]).first()
            if area is None:
                raise InvalidInput("area_unknown", _("No area has the code %(code)s.") % {"code": params["area"]})
        state = params.get("state") or None
        if state and state not in s.STATES:
            raise InvalidInput("state_unknown", _("Unknown state."), field="state")
        self.area = area
        return project_selectors.projects_in(area, state=state)

    def get_count_scopes(self):  # a project's every save bumps the lists of its area and above
        return pages.list_scopes(self.area.code if self.area else None)

    @extend_schema(request=s.ProjectCreateSerializer, responses={201: s.ProjectDetailSerializer})
    def post(self, request):
        data = validated(s.ProjectCreateSerializer, request)
        proposal = area = None
        if data.get("proposal"):
            proposal = Proposal.objects.filter(pk=data["proposal"], is_hidden=False).first()
            if proposal is None:
                raise InvalidInput("proposal_unknown", _("There is no proposal with that number."), field="proposal")
        elif data.get("area"):
            area = Area.objects.filter(code=data["area"]).first()
            if area is None:
                raise InvalidInput(
                    "area_unknown", _("No area has the code %(code)s.") % {"code": data["area"]}, field="area"
                )
        project = services.project_create(
            actor=request.user,
            area=area,
            proposal=proposal,
            title=data["title"],
            scope=data["scope"],
            location=data["location"],
            implementer=_organisation(data["implementer"], "implementer"),
            budget_lines=[dict(line) for line in data["budget_lines"]],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            milestones=[dict(row) for row in data["milestones"]],
            carry_pledges=data["carry_pledges"],
        )
        return Response(project_picture(project.pk, request), status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    """The whole public picture of a project: plan, money, progress, checks, ratings, awards, payments and
    the story from the proposal on."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.ProjectDetailSerializer, summary="A micro-project")
    def get(self, request, pk):
        return Response(project_picture(pk, request))


class AdoptedWithoutProjectView(generics.ListAPIView):
    """Adopted proposals of your areas that have no project yet (officials)."""

    serializer_class = ProposalListSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        if not user.has_perm("funding.view_project_desk"):
            raise NotAllowed("not_allowed", _("Only officials can see the adopted proposals waiting for a project."))
        return project_selectors.adopted_without_project(user)


# --- the state machine ------------------------------------------------------------------------------------


class ProjectActionView(APIView):
    """start · resume · close: move the project on (the implementer starts; officials resume and close)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=None, responses=s.ProjectListSerializer)
    def post(self, request, pk):
        project = project_or_404(pk)
        action = {
            "start": services.project_start,
            "resume": services.project_resume,
            "close": services.project_close,
        }[self.action_name]
        return Response(_brief(action(actor=request.user, project=project)))


class ProjectReasonView(APIView):
    """suspend · cancel, with the reason (officials of the area)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=s.ProjectReasonSerializer, responses=s.ProjectListSerializer)
    def post(self, request, pk):
        project = project_or_404(pk)
        message = {
            "suspend": _("Only an official of this area can suspend a project."),
            "cancel": _("Only an official of this area can cancel a project."),
        }[self.action_name]
        require_perm(request.user, "funding.manage_project", project, message)
        reason = validated(s.ProjectReasonSerializer, request)["reason"]
        action = {"suspend": services.project_suspend, "cancel": services.project_cancel}[self.action_name]
        return Response(_brief(action(actor=request.user, project=project, reason=reason)))


class ProjectCompleteView(APIView):
    """The implementer reports the work complete, with a report and photos (multipart or JSON)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request={MULTIPART: s.CompletionSerializer, "application/json": s.CompletionSerializer},
        responses=s.ProjectListSerializer,
        summary="Report completion",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        require_perm(request.user, "funding.report_progress", project, _("Only the implementer can report completion."))
        data = validated(s.CompletionSerializer, request)
        project = services.project_report_completion(
            actor=request.user, project=project, report=data["report"], files=data["photos"]
        )
        return Response(_brief(project))


# --- co-funding, milestones, progress ------------------------------------------------------------------------


class CommitmentCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.CommitmentInputSerializer,
        responses={201: s.CommitmentSerializer},
        summary="Record a co-funding commitment (officials of the area)",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        require_perm(
            request.user, "funding.manage_project", project, _("Only an official of this area can record co-funding.")
        )
        data = validated(s.CommitmentInputSerializer, request)
        commitment = services.commitment_add(
            actor=request.user,
            project=project,
            source=data["source"],
            funder=data["funder"],
            amount=data["amount"],
            organisation=_organisation(data.get("organisation"), "organisation"),
            description=data["description"],
        )
        return Response(s.CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class ReceiptCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.ReceiptInputSerializer,
        responses={201: s.CommitmentReceiptSerializer},
        summary="Record money (or goods) that arrived for a commitment (officials of the area)",
    )
    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.select_related("project__area"), pk=pk)
        require_perm(
            request.user,
            "funding.manage_project",
            commitment.project,
            _("Only an official of this area can record receipts."),
        )
        data = validated(s.ReceiptInputSerializer, request)
        receipt = services.receipt_record(
            actor=request.user,
            commitment=commitment,
            amount=data["amount"],
            received_on=data.get("received_on"),
            reference=data["reference"],
        )
        return Response(s.CommitmentReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class MilestoneCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.MilestoneAddSerializer,
        responses={201: s.MilestoneSerializer},
        summary="Plan a milestone (the implementer or officials)",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        require_perm(
            request.user,
            "funding.report_progress",
            project,
            _("Only the implementer or an official can plan milestones."),
        )
        data = validated(s.MilestoneAddSerializer, request)
        milestone = services.milestone_add(
            actor=request.user,
            project=project,
            title=data["title"],
            due_on=data["due_on"],
            is_midpoint=data["is_midpoint"],
        )
        return Response(s.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class ProgressReportCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request={MULTIPART: s.ProgressReportInputSerializer, "application/json": s.ProgressReportInputSerializer},
        responses={201: s.ProgressReportSerializer},
        summary="Report progress, with photos; naming a milestone marks it reached",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        require_perm(request.user, "funding.report_progress", project, _("Only the implementer can report progress."))
        data = validated(s.ProgressReportInputSerializer, request)
        milestone = None
        if data.get("milestone"):
            milestone = Milestone.objects.filter(pk=data["milestone"], project=project).first()
            if milestone is None:
                raise InvalidInput("milestone_invalid", _("Choose a milestone of this project."), field="milestone")
        report = services.progress_report(
            actor=request.user,
            project=project,
            text=data["text"],
            spend_to_date=data["spend_to_date"],
            reported_on=data.get("reported_on"),
            milestone=milestone,
            files=data["photos"],
        )
        report = (
            ProgressReport.objects.select_related("author", "milestone").prefetch_related("photos").get(pk=report.pk)
        )
        return Response(
            s.ProgressReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


# --- inspection and ratings ----------------------------------------------------------------------------------


class InspectionCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request={MULTIPART: s.InspectionInputSerializer, "application/json": s.InspectionInputSerializer},
        responses={201: s.InspectionSerializer},
        summary="Sign the acceptance inspection (officials of the area): accepted, or rework with the defects",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        services.inspection_allowed(actor=request.user, project=project)  # who may, before the body is read
        data = validated(s.InspectionInputSerializer, request)
        inspection = services.inspection_record(
            actor=request.user,
            project=project,
            checklist=data["checklist"],
            verified_cost=data["verified_cost"],
            result=data["result"],
            invoices=data["invoices"],
            remarks=data["remarks"],
            defects=data["defects"],
            files=data["photos"],
        )
        return Response(
            s.InspectionSerializer(inspection, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class RatingView(APIView):
    """Your satisfaction rating of an accepted project: verified residents of the area, during the rating
    period; one rating each, changed at most once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.MyRatingSerializer, summary="My rating of a project")
    def get(self, request, pk):
        return Response(s.MyRatingSerializer(project_selectors.rating_status(project_or_404(pk), request.user)).data)

    @extend_schema(
        request=s.RatingInputSerializer,
        responses={201: s.MyRatingSerializer, 200: s.MyRatingSerializer},
        summary="Rate a project (201), or change your rating once (200)",
        parameters=[ACTING_FOR],
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        person, assisted_by = acting_pair(request)  # acting for a resident in person (代办), or oneself
        services.rating_allowed(user=person, project=project)  # who may, before the body is read
        data = validated(s.RatingInputSerializer, request)
        rating = services.rating_submit(
            user=person, project=project, level=data["level"], comment=data["comment"], assisted_by=assisted_by
        )
        code = status.HTTP_200_OK if rating.changed_at else status.HTTP_201_CREATED
        return Response(s.MyRatingSerializer(project_selectors.rating_status(project, person)).data, status=code)
