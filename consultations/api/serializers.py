from rest_framework import serializers

from civic.api.serializers import AreaBriefSerializer

from ..models import (
    OFFLINE_SOURCES,
    OPINION_LIMIT,
    REASON_LIMIT,
    WORDING_LIMIT,
    Classification,
    Consultation,
    ConsultationKind,
    Opinion,
    OpinionGroup,
    Participation,
    QuestionKind,
    Symposium,
    TextFormat,
    TextUnit,
    UnitKind,
)
from ..selectors import author_label


class ConsultationListSerializer(serializers.ModelSerializer):
    area = AreaBriefSerializer(read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "kind",
            "state",
            "area",
            "originator",
            "participation",
            "organisations_take_part",
            "opinions_public",
            "opens_at",
            "closes_at",
            "answer_working_days",
            "answer_due",
            "opinion_count",
            "follower_count",
        ]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.anchor", read_only=True, allow_null=True, default=None)

    class Meta:
        model = TextUnit
        fields = ["id", "anchor", "kind", "level", "number", "ordinal", "text", "parent", "position"]


class ExtensionSerializer(serializers.Serializer):
    previous_closes_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    reason = serializers.CharField()
    extended_at = serializers.DateTimeField()


class QuestionOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    options = QuestionOptionSerializer(many=True, source="options.all")


class ConsultationDetailSerializer(ConsultationListSerializer):
    background = serializers.CharField()
    units = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True, source="extensions.all")
    questions = QuestionSerializer(many=True, source="questions.all")

    class Meta(ConsultationListSerializer.Meta):
        fields = [*ConsultationListSerializer.Meta.fields, "background", "units", "extensions", "questions"]

    def get_units(self, obj) -> list[dict]:
        return UnitSerializer(self.context.get("units", []), many=True).data


class ConsultationWriteSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=32, help_text="Area code")
    title = serializers.CharField(max_length=400)
    kind = serializers.ChoiceField(choices=ConsultationKind.choices)
    originator = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    background = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    participation = serializers.ChoiceField(choices=Participation.choices, default=Participation.RESIDENTS)
    organisations_take_part = serializers.BooleanField(default=True)
    opinions_public = serializers.BooleanField(default=True)
    answer_working_days = serializers.IntegerField(default=15, min_value=1, max_value=120)
    opens_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    drafters = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=50)


class TextImportSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=200000, trim_whitespace=False)
    source_format = serializers.ChoiceField(choices=TextFormat.choices, default=TextFormat.PLAIN)
    preview = serializers.BooleanField(default=False, help_text="Only read the text and return the units and warnings")


class UnitCorrectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class OpinionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.anchor", read_only=True, allow_null=True, default=None)
    author = serializers.SerializerMethodField()
    symposium = serializers.PrimaryKeyRelatedField(read_only=True)
    supported = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "unit",
            "author",
            "text",
            "wording",
            "source",
            "symposium",
            "received_on",
            "created_at",
            "support_count",
            "supported",
            "group",
            "classification",
            "reason",
            "answered_at",
        ]

    def get_author(self, obj) -> str:
        return author_label(obj)

    def get_supported(self, obj) -> bool:
        return bool(getattr(obj, "supported", False))


class OpinionWriteSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=60, required=False, allow_blank=True, default="", help_text="Anchor")
    text = serializers.CharField(max_length=OPINION_LIMIT * 2, trim_whitespace=False)
    wording = serializers.CharField(max_length=WORDING_LIMIT * 2, required=False, allow_blank=True, default="")
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    as_resident = serializers.BooleanField(default=False)


class OfflineOpinionSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=OFFLINE_SOURCES)
    unit = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=OPINION_LIMIT * 2, trim_whitespace=False)
    wording = serializers.CharField(max_length=WORDING_LIMIT * 2, required=False, allow_blank=True, default="")
    symposium = serializers.IntegerField(required=False, allow_null=True, default=None)
    submitter = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class SymposiumSerializer(serializers.ModelSerializer):
    class Meta:
        model = Symposium
        fields = ["id", "held_on", "place", "attendance", "note"]


class AnswerSerializer(serializers.Serializer):
    classification = serializers.ChoiceField(choices=Classification.choices)
    reason = serializers.CharField(max_length=REASON_LIMIT * 2, trim_whitespace=False)


class GroupWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=400)
    opinions = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)


class GroupSerializer(serializers.ModelSerializer):
    opinions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OpinionGroup
        fields = ["id", "title", "classification", "reason", "answered_at", "opinions"]


class QuestionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(max_length=600)
    options = serializers.ListField(
        child=serializers.CharField(max_length=400), required=False, default=list, max_length=20
    )


class QuestionAnswerSerializer(serializers.Serializer):
    options = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=20)
    text = serializers.CharField(max_length=OPINION_LIMIT * 2, required=False, allow_blank=True, default="")
