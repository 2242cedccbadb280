"""Serializers of the award API: awards with their steps and objections, payments, and the award actions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.fields import AmountField, money_out
from civic.api.serializers import PersonSerializer

from ...models import AdvanceCondition, AwardObjection, AwardStage, LedgerEntry, SubsidyAward
from ...services.common import (
    AWARD_REASON_MAX,
    LEDGER_REASON_MAX,
    OBJECTION_ANSWER_MAX,
    OBJECTION_TEXT_MAX,
    REFERENCE_MAX,
)

# --- output ------------------------------------------------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    answered_by = PersonSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AwardObjection
        fields = [
            "id",
            "award",
            "author",
            "text",
            "created_at",
            "answer_due",
            "status",
            "status_label",
            "answer",
            "answered_by",
            "answered_at",
        ]


class AwardStepSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Which rule of the policy this step applied.")
    figures = serializers.DictField(child=serializers.CharField(), help_text="The figures of the step, as text.")


class AwardSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    policy_version = serializers.IntegerField(source="policy.version", read_only=True)
    policy_area = serializers.CharField(source="policy.area.code", read_only=True)
    charge_area = serializers.CharField(source="charge_area.code", read_only=True)
    base = money_out()
    amount = money_out()
    payout = money_out()
    recovery = money_out()
    steps = serializers.SerializerMethodField()
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = SubsidyAward
        fields = [
            "id",
            "project",
            "stage",
            "stage_label",
            "status",
            "status_label",
            "status_reason",
            "policy",
            "policy_version",
            "policy_area",
            "base",
            "amount",
            "payout",
            "recovery",
            "steps",
            "computed_at",
            "notice_until",
            "objections_until",
            "approved_at",
            "charge_area",
            "charge_year",
            "objections",
        ]

    @extend_schema_field(AwardStepSerializer(many=True))
    def get_steps(self, award):
        return [{"code": code, "figures": figures} for code, figures in award.steps]


class PaymentSerializer(serializers.ModelSerializer):
    """A ledger entry that moves award money: advance, settlement, recovery due, recovery (and reversals)."""

    kind = serializers.CharField(read_only=True, help_text="advance, settlement, recovery_due or recovery")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    amount = money_out()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "created_at",
            "kind",
            "kind_label",
            "amount",
            "condition",
            "award",
            "area",
            "year",
            "reverses",
            "memo",
        ]


# --- input -------------------------------------------------------------------------------------------------


class AwardComputeSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=AwardStage.choices)


class AwardRecomputeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=AWARD_REASON_MAX, allow_blank=True)
    cancel = serializers.BooleanField(default=False, help_text="Cancel the award instead of computing it again.")


class ObjectionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=OBJECTION_TEXT_MAX, allow_blank=True)


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField(max_length=OBJECTION_ANSWER_MAX, allow_blank=True)
    corrected_base = AmountField(
        required=False,
        allow_null=True,
        positive=True,
        help_text="Upheld: the corrected figure to compute the award on again; none cancels the award.",
    )


class AdvanceInputSerializer(serializers.Serializer):
    condition = serializers.ChoiceField(choices=AdvanceCondition.choices)


class RecoveryInputSerializer(serializers.Serializer):
    amount = AmountField(positive=True)
    reference = serializers.CharField(max_length=REFERENCE_MAX, required=False, allow_blank=True, default="")


class LedgerReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LEDGER_REASON_MAX, allow_blank=True)
