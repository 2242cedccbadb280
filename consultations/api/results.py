"""The result through the API: the final text written unit by unit, its publication, the comparison with
the draft and the feedback report."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.errors import NotFound
from civic.services import require_perm

from .. import selectors, services
from ..models import TextUnit, UnitKind, VersionKind
from .serializers import ConsultationDetailSerializer, UnitSerializer


class FinalUnitSerializer(UnitSerializer):
    replaces = serializers.CharField(source="replaces.anchor", read_only=True, allow_null=True, default=None)
    changed_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "replaces", "changed_by"]


class FinalReviseSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    opinions = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class FinalAddSerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, allow_null=True, help_text="Id of the final unit to follow")
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    number = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(trim_whitespace=False)
    opinions = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class ConcludeSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class ComparisonRowSerializer(serializers.Serializer):
    anchor = serializers.CharField()
    status = serializers.ChoiceField(choices=["same", "changed", "added", "removed"])
    draft = UnitSerializer(allow_null=True)
    final = UnitSerializer(allow_null=True)
    diff_html = serializers.CharField(source="diff", help_text="The character diff: <del> taken out, <ins> put in")
    opinions = serializers.SerializerMethodField()

    def get_opinions(self, row) -> list[int]:
        return [o.pk for o in row.causes]


class ReportEntrySerializer(serializers.Serializer):
    unit = serializers.CharField()
    text = serializers.CharField()
    classification = serializers.CharField()
    reason = serializers.CharField()
    count = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    opinions = serializers.IntegerField()
    participants = serializers.IntegerField()
    online_authors = serializers.IntegerField()
    organisations = serializers.IntegerField()
    offline = serializers.IntegerField()
    symposium_count = serializers.IntegerField()
    symposium_attendance = serializers.IntegerField()
    respondents = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)
    by_source = serializers.SerializerMethodField()
    by_classification = serializers.DictField(child=serializers.IntegerField())
    by_unit = serializers.SerializerMethodField()
    adopted = ReportEntrySerializer(many=True)
    not_adopted = ReportEntrySerializer(many=True)
    changed_units = serializers.IntegerField()

    def get_by_source(self, report) -> list[dict]:
        return [{"source": str(label), "opinions": n} for label, n in report.by_source]

    def get_by_unit(self, report) -> list[dict]:
        return [{"unit": label, "opinions": n, "adopted": taken} for label, n, taken in report.by_unit]


def _managed(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(request.user, "consultations.manage", consultation, _("Only the drafters can write the final text."))
    return consultation


def _result(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    if not selectors.result_public(consultation):
        require_perm(
            request.user, "consultations.manage", consultation, _("The result is public once the drafters publish it.")
        )
    return consultation


def _final_units(consultation):
    return (
        TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.FINAL)
        .select_related("parent", "replaces")
        .prefetch_related("changed_by")
        .order_by("position")
    )


def _unit(consultation, unit_pk) -> TextUnit:
    unit = _final_units(consultation).filter(pk=unit_pk).first()
    if unit is None:
        raise NotFound("unit_unknown", _("This unit is not part of the final text."))
    return unit


class FinalTextView(APIView):
    @extend_schema(responses=FinalUnitSerializer(many=True), summary="The final text's units")
    def get(self, request, pk):
        consultation = _result(request, pk)
        return Response(FinalUnitSerializer(_final_units(consultation), many=True).data)

    @extend_schema(
        request=None, responses=FinalUnitSerializer(many=True), summary="Start the final text from the draft"
    )
    def post(self, request, pk):
        consultation = _managed(request, pk)
        services.final_prepare(actor=request.user, consultation=consultation)
        return Response(FinalUnitSerializer(_final_units(consultation), many=True).data, status=status.HTTP_201_CREATED)

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()


class FinalUnitListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=FinalAddSerializer, responses=FinalUnitSerializer, summary="Add a unit to the final text")
    def post(self, request, pk):
        consultation = _managed(request, pk)
        data = validated(FinalAddSerializer, request)
        after = data.pop("after", None)
        unit = services.final_unit_add(
            actor=request.user,
            consultation=consultation,
            after=_unit(consultation, after) if after else None,
            **data,
        )
        return Response(FinalUnitSerializer(_unit(consultation, unit.pk)).data, status=status.HTTP_201_CREATED)


class FinalUnitView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=FinalReviseSerializer, responses=FinalUnitSerializer, summary="Revise a unit of the final text"
    )
    def patch(self, request, pk, unit_pk):
        consultation = _managed(request, pk)
        unit = _unit(consultation, unit_pk)
        data = validated(FinalReviseSerializer, request)
        services.final_unit_revise(actor=request.user, unit=unit, **data)
        return Response(FinalUnitSerializer(_unit(consultation, unit.pk)).data)

    @extend_schema(responses={204: None}, summary="Take a unit out of the final text")
    def delete(self, request, pk, unit_pk):
        consultation = _managed(request, pk)
        services.final_unit_remove(actor=request.user, unit=_unit(consultation, unit_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConcludeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=ConcludeSerializer,
        responses=ConsultationDetailSerializer,
        summary="Publish the result: the final text and the feedback report (as an outcome notice)",
    )
    def post(self, request, pk):
        consultation = _managed(request, pk)
        data = validated(ConcludeSerializer, request)
        consultation = services.consultation_conclude(actor=request.user, consultation=consultation, **data)
        units = selectors.units(selectors.version_of(consultation))
        return Response(ConsultationDetailSerializer(consultation, context={"units": units, "request": request}).data)


class ComparisonView(APIView):
    @extend_schema(responses=ComparisonRowSerializer(many=True), summary="The draft and the final text side by side")
    def get(self, request, pk):
        return Response(ComparisonRowSerializer(selectors.comparison(_result(request, pk)), many=True).data)


class ReportView(APIView):
    @extend_schema(responses=ReportSerializer, summary="The feedback report (意见采纳情况说明)")
    def get(self, request, pk):
        return Response(ReportSerializer(selectors.feedback_report(_result(request, pk))).data)
