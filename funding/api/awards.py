"""Award API (以奖代补): compute an award and put it under public notice, objections and their answers,
approval, advances, the settlement payment, recoveries and reversing a mistaken ledger line.

Reading an award is public; every write is checked by its service (officials of the project's area;
objections: anyone signed in) and refused with a stable `code`.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.services import require_perm

from .. import services
from ..models import AwardObjection, LedgerEntry, SubsidyAward
from . import serializers as s
from .projects import awards_of, project_or_404


def _award(pk) -> SubsidyAward:
    return get_object_or_404(SubsidyAward.objects.select_related("project"), pk=pk)


def _award_data(award, *, code=status.HTTP_200_OK) -> Response:
    award = awards_of(award.project_id).get(pk=award.pk)
    return Response(s.AwardSerializer(award).data, status=code)


def _payment(entry, *, code=status.HTTP_201_CREATED) -> Response:
    entry = LedgerEntry.objects.select_related("area").get(pk=entry.pk)
    return Response(s.PaymentSerializer(entry).data, status=code)


class AwardComputeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.AwardComputeSerializer,
        responses={201: s.AwardSerializer},
        summary="Compute the provisional award or the settlement and put it under public notice (officials)",
    )
    def post(self, request, pk):
        project = project_or_404(pk)
        require_perm(request.user, "funding.award", project, _("Only an official of this area can compute awards."))
        data = validated(s.AwardComputeSerializer, request)
        award = services.award_compute(actor=request.user, project=project, stage=data["stage"])
        return _award_data(award, code=status.HTTP_201_CREATED)


class AwardDetailView(APIView):
    """One award: its figures, how they were computed (`steps`), its notice period and its objections."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.AwardSerializer, summary="An award")
    def get(self, request, pk):
        return _award_data(_award(pk))


class AwardApproveView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses=s.AwardSerializer,
        summary="Approve an award after its notice, every objection answered, within the caps (officials)",
    )
    def post(self, request, pk):
        award = services.award_approve(actor=request.user, award=_award(pk))
        return _award_data(award)


class AwardRecomputeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.AwardRecomputeSerializer,
        responses={201: s.AwardSerializer, 200: s.AwardSerializer},
        summary="Replace an award under notice by one computed again (201), or cancel it (200)",
    )
    def post(self, request, pk):
        award = _award(pk)
        require_perm(
            request.user, "funding.award", award.project, _("Only an official of this area can recompute awards.")
        )
        data = validated(s.AwardRecomputeSerializer, request)
        replacement = services.award_recompute(
            actor=request.user, award=award, reason=data["reason"], cancel=data["cancel"]
        )
        if replacement is None:
            return _award_data(award)
        return _award_data(replacement, code=status.HTTP_201_CREATED)


class ObjectionCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.ObjectionInputSerializer,
        responses={201: s.ObjectionSerializer},
        summary="Object to an award under public notice (signed in)",
    )
    def post(self, request, pk):
        award = _award(pk)
        data = validated(s.ObjectionInputSerializer, request)
        objection = services.objection_file(user=request.user, award=award, text=data["text"])
        objection = AwardObjection.objects.select_related("author", "answered_by").get(pk=objection.pk)
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionAnswerView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.ObjectionAnswerSerializer,
        responses=s.ObjectionSerializer,
        summary="Answer an objection (officials); upheld, the award is computed again or cancelled",
    )
    def post(self, request, pk):
        objection = get_object_or_404(AwardObjection.objects.select_related("award__project"), pk=pk)
        require_perm(
            request.user,
            "funding.award",
            objection.award.project,
            _("Only an official of this area can answer objections."),
        )
        data = validated(s.ObjectionAnswerSerializer, request)
        objection = services.objection_answer(
            actor=request.user,
            objection=objection,
            upheld=data["upheld"],
            answer=data["answer"],
            corrected_base=data.get("corrected_base") or None,
        )
        objection = AwardObjection.objects.select_related("author", "answered_by").get(pk=objection.pk)
        return Response(s.ObjectionSerializer(objection).data)


class AdvancePayView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.AdvanceInputSerializer,
        responses={201: s.PaymentSerializer},
        summary="Pay the advance due at a condition of an approved provisional award (officials)",
    )
    def post(self, request, pk):
        award = _award(pk)
        require_perm(request.user, "funding.award", award.project, _("Only an official of this area can pay awards."))
        data = validated(s.AdvanceInputSerializer, request)
        return _payment(services.advance_pay(actor=request.user, award=award, condition=data["condition"]))


class SettlementPayView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={201: s.PaymentSerializer},
        summary="Pay what the approved settlement leaves after the advances (officials)",
    )
    def post(self, request, pk):
        return _payment(services.settlement_pay(actor=request.user, award=_award(pk)))


class RecoveryCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.RecoveryInputSerializer,
        responses={201: s.PaymentSerializer},
        summary="Record money the implementer paid back (officials)",
    )
    def post(self, request, pk):
        award = _award(pk)
        require_perm(
            request.user, "funding.award", award.project, _("Only an official of this area can record recoveries.")
        )
        data = validated(s.RecoveryInputSerializer, request)
        entry = services.recovery_record(
            actor=request.user, award=award, amount=data["amount"], reference=data["reference"]
        )
        return _payment(entry)


class LedgerReverseView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.LedgerReverseSerializer,
        responses={201: s.PaymentSerializer},
        summary="Reverse a mistaken receipt or payment with an entry of the opposite amount (officials)",
    )
    def post(self, request, pk):
        entry = get_object_or_404(LedgerEntry.objects.select_related("project__area"), pk=pk)
        require_perm(
            request.user,
            "funding.manage_project",
            entry.project,
            _("Only an official of this area can correct the ledger."),
        )
        data = validated(s.LedgerReverseSerializer, request)
        return _payment(services.ledger_correct(actor=request.user, entry=entry, reason=data["reason"]))
