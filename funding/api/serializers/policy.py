"""Serializers of the subsidy policy API."""

from rest_framework import serializers

from civic.api.fields import AmountField

from ...models import SubsidyPolicy
from ...services.common import POLICY_NOTE_MAX


class SubsidyPolicySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    advances = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.public_name", read_only=True)

    class Meta:
        model = SubsidyPolicy
        fields = [
            "id",
            "area",
            "version",
            "effective_from",
            "share",
            "cap_per_project",
            "cap_per_area_year",
            "min_self_funded_share",
            "min_acceptance_score",
            "min_satisfaction_rate",
            "rating_days",
            "notice_days",
            "objection_days",
            "answer_days",
            "advances",
            "note",
            "created_by",
            "created_at",
        ]

    def get_advances(self, policy) -> list[dict]:
        return [{"condition": condition, "cumulative_share": str(share)} for condition, share in policy.advances]


def _share(**kwargs):
    return serializers.DecimalField(max_digits=5, decimal_places=4, min_value=0, max_value=1, **kwargs)


class SubsidyPolicyInputSerializer(serializers.Serializer):
    """A new version. Shares are fractions (0.3 for 30 %); amounts are yuan with at most two decimals."""

    share = _share()
    cap_per_project = AmountField(required=False, allow_null=True)
    cap_per_area_year = AmountField(required=False, allow_null=True)
    min_self_funded_share = _share(required=False)
    min_acceptance_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    min_satisfaction_rate = _share(required=False)
    rating_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    notice_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    objection_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    answer_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    advance_start = _share(required=False, allow_null=True)
    advance_midpoint = _share(required=False, allow_null=True)
    advance_completion = _share(required=False, allow_null=True)
    note = serializers.CharField(max_length=POLICY_NOTE_MAX, required=False, allow_blank=True)
    effective_from = serializers.DateTimeField(required=False)


class SubsidyPolicyOverviewSerializer(serializers.Serializer):
    area = serializers.CharField()
    in_force = SubsidyPolicySerializer(allow_null=True)
    inherited_from = serializers.CharField(allow_null=True)
    versions = SubsidyPolicySerializer(many=True)
