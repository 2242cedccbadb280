"""What the casework API reads and writes. The reporter's identity never leaves in a public answer."""

from rest_framework import serializers

from ..models import (
    MAX_TEXT,
    ClockStopReason,
    RatingChannel,
    ReportChannel,
    ReportState,
    SatisfactionLevel,
    UnitKind,
)


class PhotosField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.FileField(),
            required=False,
            default=list,
            help_text="JPEG or PNG photos (at most six, 10 MiB each); re-encoded without metadata.",
            **kwargs,
        )


class CaseCategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    display_name = serializers.CharField()
    description = serializers.CharField()
    area = serializers.CharField(source="area.code", help_text="Code of the area that defines it")
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices)
    response_hours = serializers.IntegerField(help_text="Response limit (受理时限), working hours")
    handling_days = serializers.IntegerField(help_text="Handling limit (办理时限), working days")
    default_unit = serializers.IntegerField(source="default_unit_id", allow_null=True)
    requires_after_photo = serializers.BooleanField()
    clock_stop_allowed = serializers.BooleanField()
    is_offered = serializers.BooleanField()
    position = serializers.IntegerField()


class CaseCategoryInputSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=40)
    name_en = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices)
    response_hours = serializers.IntegerField(min_value=1, max_value=400)
    handling_days = serializers.IntegerField(min_value=1, max_value=90)
    default_unit = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    requires_after_photo = serializers.BooleanField(required=False, default=False)
    clock_stop_allowed = serializers.BooleanField(required=False, default=False)
    is_offered = serializers.BooleanField(required=False, default=True)
    position = serializers.IntegerField(min_value=0, max_value=999, required=False, default=100)


class CaseUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    phone = serializers.CharField()
    is_active = serializers.BooleanField()


class CaseReportListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    state = serializers.ChoiceField(choices=ReportState.choices)
    state_label = serializers.CharField(source="get_state_display")
    category = serializers.CharField(source="category_key")
    category_name = serializers.CharField(source="category.display_name")
    cell = serializers.CharField(source="cell.code")
    cell_name = serializers.CharField(source="cell.name")
    place = serializers.CharField()
    position = serializers.SerializerMethodField(help_text="[latitude, longitude] rounded to about 100 m, or null")
    channel = serializers.ChoiceField(choices=ReportChannel.choices)
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    response_due = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    handling_due = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    was_overdue = serializers.BooleanField()
    reopen_count = serializers.IntegerField()
    rating_level = serializers.IntegerField(allow_null=True)
    follower_count = serializers.IntegerField()
    photo_count = serializers.IntegerField()

    def get_position(self, report) -> list[float] | None:
        position = report.public_position
        return list(position) if position else None

    def get_overdue(self, report) -> bool:
        return report.is_overdue()


class CasePhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    stage = serializers.CharField()


class CaseStepSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    who = serializers.CharField(help_text="Staff who acted in their role; never the reporter or a follower")
    note = serializers.CharField()


class CaseEscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    level = serializers.IntegerField()
    limit = serializers.CharField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_acknowledged_by(self, escalation) -> str | None:
        return escalation.acknowledged_by.public_name if escalation.acknowledged_by_id else None


class CaseRatingSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    level = serializers.ChoiceField(choices=SatisfactionLevel.choices)
    channel = serializers.ChoiceField(choices=RatingChannel.choices)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class CasePrivateSerializer(serializers.Serializer):
    reporter_name = serializers.CharField()
    reporter_phone = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class CaseReportDetailSerializer(CaseReportListSerializer):
    text = serializers.CharField()
    resolution_note = serializers.CharField()
    state_reason = serializers.CharField()
    referred_to = serializers.CharField()
    referral_reason = serializers.CharField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    rating_due = serializers.DateTimeField(allow_null=True)
    clock_stopped = serializers.SerializerMethodField()
    escalation_level = serializers.IntegerField()
    mine = serializers.SerializerMethodField(help_text="You reported it")
    photos = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    escalations = CaseEscalationSerializer(many=True, source="escalations.all")
    ratings = CaseRatingSerializer(many=True, source="ratings.all")
    private = serializers.SerializerMethodField(help_text="Only for those who handle it: the reporter's details")

    def get_clock_stopped(self, report) -> bool:
        return report.clock_stopped_at is not None

    def get_mine(self, report) -> bool:
        return bool(self.context.get("mine"))

    def get_photos(self, report) -> list[dict]:
        show = self.context.get("show_private") or self.context.get("mine")
        return CasePhotoSerializer([p for p in report.photos.all() if show or not p.is_hidden], many=True).data

    def get_steps(self, report) -> list[dict]:
        return CaseStepSerializer(self.context.get("steps", []), many=True).data

    def get_private(self, report) -> dict | None:
        return CasePrivateSerializer(report).data if self.context.get("show_private") else None


class CaseReportCreateSerializer(serializers.Serializer):
    cell = serializers.CharField(max_length=32, help_text="Code of the grid cell")
    category = serializers.CharField(max_length=40, help_text="Key of a category offered in that cell")
    place = serializers.CharField(max_length=120)
    text = serializers.CharField(max_length=MAX_TEXT)
    photos = PhotosField()
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True, default=None)
    channel = serializers.ChoiceField(
        choices=[ReportChannel.ONLINE, ReportChannel.PHONE, ReportChannel.IN_PERSON], default=ReportChannel.ONLINE
    )
    reporter_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class CaseReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class CaseMergeInputSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The open report that survives")


class CaseDispatchInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="Omit for the category's default unit"
    )


class CaseReferInputSerializer(serializers.Serializer):
    referred_to = serializers.CharField(max_length=120, allow_blank=True)
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class CaseReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)
    suggested_unit = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class CaseResolveInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True)
    photos = PhotosField()


class CaseRatingInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=SatisfactionLevel.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=RatingChannel.choices, default=RatingChannel.SELF)


class CaseClockStopInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ClockStopReason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CaseAcknowledgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CaseQueueSerializer(serializers.Serializer):
    new = CaseReportListSerializer(many=True)
    due_soon = CaseReportListSerializer(many=True)
    overdue = CaseReportListSerializer(many=True)
    other = CaseReportListSerializer(many=True)


class CaseUnitQueueSerializer(serializers.Serializer):
    unit = CaseUnitSerializer()
    queue = CaseQueueSerializer()


class CaseWorkSerializer(serializers.Serializer):
    intake = CaseQueueSerializer(help_text="Reports waiting to be accepted or dispatched in the cells you look after")
    units = CaseUnitQueueSerializer(many=True, help_text="What is dispatched to each unit you belong to")


class CaseBoardSerializer(serializers.Serializer):
    results = CaseReportListSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Cursor of the next page (pass as `after`)")
