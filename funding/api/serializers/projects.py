"""Serializers of the micro-project and award API.

Amounts go out as strings with two decimals (civic.api.fields.money_out); amounts coming in are checked by
civic.api.fields.AmountField, the same rule as the pages and the services (civic.money.parse_amount).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.fields import AmountField, money_out
from civic.api.serializers import AreaBriefSerializer, PersonSerializer, TimelineEntrySerializer

from ...models import (
    BudgetLine,
    Commitment,
    FundingSource,
    Inspection,
    InspectionResult,
    MicroProject,
    Milestone,
    ProgressReport,
    ProjectPhoto,
    ProjectState,
    Receipt,
    SatisfactionRating,
)
from ...services.common import (
    COMMITMENT_DESCRIPTION_MAX,
    DEFECTS_MAX,
    FUNDER_MAX,
    INVOICES_MAX,
    ITEM_MAX,
    LOCATION_MAX,
    MILESTONE_TITLE_MAX,
    PROGRESS_TEXT_MAX,
    PROJECT_REASON_MAX,
    PROJECT_TITLE_MAX,
    RATING_COMMENT_MAX,
    REFERENCE_MAX,
    REMARKS_MAX,
    REPORT_MAX,
    SCOPE_MAX,
)
from .awards import AwardSerializer, PaymentSerializer

# --- fields ------------------------------------------------------------------------------------------------


def share_out(**kwargs):
    return serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True, **kwargs)


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- output: the project and its parts ---------------------------------------------------------------------


class ProjectListSerializer(serializers.ModelSerializer):
    area = AreaBriefSerializer(read_only=True)
    implementer = OrganisationBriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    budget = money_out()
    overdue_milestones = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = MicroProject
        fields = [
            "id",
            "title",
            "state",
            "state_label",
            "area",
            "implementer",
            "proposal",
            "budget",
            "planned_start",
            "planned_end",
            "location",
            "created_at",
            "overdue_milestones",
            "url",
        ]

    def get_overdue_milestones(self, project) -> int:
        annotated = getattr(project, "overdue_milestones", None)
        if annotated is not None:
            return annotated
        return sum(1 for milestone in project.milestones.all() if milestone.is_overdue())


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = money_out()

    class Meta:
        model = BudgetLine
        fields = ["id", "position", "item", "amount"]


class MilestoneSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "position", "title", "due_on", "is_midpoint", "reached_at", "overdue"]

    def get_overdue(self, milestone) -> bool:
        return milestone.is_overdue()


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectPhoto
        fields = ["id", "url", "caption"]

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        url = photo.image.url
        return request.build_absolute_uri(url) if request is not None else url


class CommitmentReceiptSerializer(serializers.ModelSerializer):
    amount = money_out()

    class Meta:
        model = Receipt
        fields = ["id", "commitment", "amount", "received_on", "reference", "recorded_at"]


class CommitmentSerializer(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True, allow_null=True)
    amount = money_out()
    received = money_out()
    outstanding = money_out()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "source",
            "source_label",
            "funder",
            "organisation",
            "amount",
            "received",
            "outstanding",
            "description",
            "from_pledge",
            "created_at",
        ]


class FundingSourceShareSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    amount = money_out()
    received = money_out()
    share = share_out(help_text="Share of everything committed (0 to 1).")


class CoFundingSerializer(serializers.Serializer):
    total = money_out(help_text="Everything committed.")
    received = money_out(help_text="Everything that arrived.")
    by_source = FundingSourceShareSerializer(many=True)
    commitments = CommitmentSerializer(many=True)


class ProgressReportSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    milestone_title = serializers.CharField(source="milestone.title", read_only=True, allow_null=True, default=None)
    spend_to_date = money_out()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "reported_on",
            "author",
            "text",
            "spend_to_date",
            "milestone",
            "milestone_title",
            "photos",
            "created_at",
        ]


class ChecklistRowSerializer(serializers.Serializer):
    item = serializers.CharField()
    score = serializers.CharField()
    max = serializers.CharField()


class InspectionSerializer(serializers.ModelSerializer):
    inspector = PersonSerializer(read_only=True)
    checklist = ChecklistRowSerializer(many=True, read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    verified_cost = money_out()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "signed_at",
            "inspector",
            "result",
            "result_label",
            "checklist",
            "score",
            "verified_cost",
            "invoices",
            "remarks",
            "defects",
            "photos",
        ]


class SatisfactionLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = share_out()


class RatingWindowSerializer(serializers.Serializer):
    opens = serializers.DateTimeField(allow_null=True)
    closes = serializers.DateTimeField(allow_null=True)
    open = serializers.BooleanField(help_text="Whether residents can rate now.")


class SatisfactionSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rate = share_out(help_text="Share of ratings in the top three levels (0 to 1).")
    average = serializers.DecimalField(max_digits=4, decimal_places=2, read_only=True, allow_null=True)
    levels = SatisfactionLevelSerializer(many=True)
    window = RatingWindowSerializer()


class ProjectDetailSerializer(ProjectListSerializer):
    """The whole public picture of a project."""

    suspended_from = serializers.CharField(read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    co_funding = serializers.SerializerMethodField()
    reports = ProgressReportSerializer(many=True, read_only=True)
    inspections = InspectionSerializer(many=True, read_only=True)
    satisfaction = serializers.SerializerMethodField()
    awards = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "scope",
            "state_reason",
            "suspended_from",
            "started_at",
            "completed_at",
            "accepted_at",
            "closed_at",
            "completion_report",
            "rework_count",
            "budget_lines",
            "milestones",
            "co_funding",
            "reports",
            "inspections",
            "satisfaction",
            "awards",
            "payments",
            "timeline",
        ]

    def _extra(self, key):
        return self.context["extra"][key]

    @extend_schema_field(CoFundingSerializer)
    def get_co_funding(self, project):
        return CoFundingSerializer(self._extra("co_funding")).data

    @extend_schema_field(SatisfactionSerializer)
    def get_satisfaction(self, project):
        return SatisfactionSerializer(self._extra("satisfaction")).data

    @extend_schema_field(AwardSerializer(many=True))
    def get_awards(self, project):
        return AwardSerializer(self._extra("awards"), many=True).data

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, project):
        return PaymentSerializer(self._extra("payments"), many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, project):
        return TimelineEntrySerializer(self._extra("timeline"), many=True).data


class RatingSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True, help_text="5 very satisfied … 1 very dissatisfied")
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = SatisfactionRating
        fields = ["level", "level_label", "comment", "created_at", "changed_at"]


class MyRatingSerializer(serializers.Serializer):
    rating = RatingSerializer(allow_null=True, help_text="Your rating, or null.")
    window = RatingWindowSerializer()
    can_change = serializers.BooleanField(help_text="A rating can be changed once, while the window is open.")


# --- input -------------------------------------------------------------------------------------------------


class BudgetLineInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=ITEM_MAX, allow_blank=True)
    amount = AmountField(required=False, allow_null=True)


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MILESTONE_TITLE_MAX, allow_blank=True)
    due_on = serializers.DateField()
    is_midpoint = serializers.BooleanField(default=False)


class ProjectCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="An adopted proposal: the project takes its area."
    )
    area = serializers.CharField(required=False, allow_blank=True, help_text="Area code (without a proposal).")
    title = serializers.CharField(max_length=PROJECT_TITLE_MAX, allow_blank=True)
    scope = serializers.CharField(max_length=SCOPE_MAX, allow_blank=True)
    location = serializers.CharField(max_length=LOCATION_MAX, required=False, allow_blank=True, default="")
    implementer = serializers.IntegerField(min_value=1, help_text="The implementing organisation's id.")
    budget_lines = BudgetLineInputSerializer(many=True)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    milestones = MilestoneInputSerializer(many=True, required=False, default=list)
    carry_pledges = serializers.BooleanField(
        default=True, help_text="Turn the proposal's money and in-kind pledges into commitments."
    )


class ProjectReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=PROJECT_REASON_MAX, allow_blank=True)


class PhotosField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.FileField(),
            required=False,
            default=list,
            help_text="JPEG or PNG photos (at most six).",
            **kwargs,
        )


class CompletionSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=REPORT_MAX, allow_blank=True)
    photos = PhotosField()


class CommitmentInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    funder = serializers.CharField(max_length=FUNDER_MAX, required=False, allow_blank=True, default="")
    organisation = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    amount = AmountField(positive=True)
    description = serializers.CharField(
        max_length=COMMITMENT_DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )


class ReceiptInputSerializer(serializers.Serializer):
    amount = AmountField(positive=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=REFERENCE_MAX, required=False, allow_blank=True, default="")


class MilestoneAddSerializer(MilestoneInputSerializer):
    pass


class ProgressReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=PROGRESS_TEXT_MAX, allow_blank=True)
    spend_to_date = AmountField()
    reported_on = serializers.DateField(required=False, allow_null=True)
    milestone = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="Marks it reached.")
    photos = PhotosField()


class ChecklistInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=ITEM_MAX, allow_blank=True)
    score = serializers.CharField(max_length=20, allow_blank=True)
    max = serializers.CharField(max_length=20, required=False, allow_blank=True, default="10")


class InspectionInputSerializer(serializers.Serializer):
    checklist = serializers.JSONField(
        help_text='A list of {"item", "score", "max"}; in a multipart request, the same list as JSON text.'
    )
    verified_cost = AmountField(required=False, allow_null=True, default=None)
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    invoices = serializers.CharField(max_length=INVOICES_MAX, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=REMARKS_MAX, required=False, allow_blank=True, default="")
    defects = serializers.CharField(max_length=DEFECTS_MAX, required=False, allow_blank=True, default="")
    photos = PhotosField()

    def validate_checklist(self, value):
        rows = ChecklistInputSerializer(data=value, many=True)
        rows.is_valid(raise_exception=True)
        return [dict(row) for row in rows.validated_data]


class RatingInputSerializer(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text="5 very satisfied, 4 satisfied, 3 fairly, 2 dissatisfied, 1 very dissatisfied",
    )
    comment = serializers.CharField(max_length=RATING_COMMENT_MAX, required=False, allow_blank=True, default="")


STATES = list(ProjectState.values)
