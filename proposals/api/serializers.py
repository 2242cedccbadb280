from rest_framework import serializers

from civic.api.fields import AmountField, money_out
from civic.api.serializers import AreaBriefSerializer, PersonSerializer

from ..models import AnswerStatus, Category, Channel, Comment, CoSponsor, OfficialAnswer, PledgeKind, Proposal, Stance
from ..selectors import effective_state, is_overdue
from ..services import (
    ANSWER_MAX,
    BODY_MAX,
    COMMENT_MAX,
    LOCATION_MAX,
    ON_BEHALF_OF_MAX,
    PLEDGE_DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "name_en", "display_name", "description", "is_active"]


class ProposalListSerializer(serializers.ModelSerializer):
    area = AreaBriefSerializer(read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, allow_null=True, default=None)
    state = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "state",
            "category",
            "area",
            "organisation",
            "actor_kind",
            "channel",
            "endorsement_count",
            "threshold",
            "comment_count",
            "published_at",
            "collection_deadline",
            "response_due",
            "overdue",
        ]

    def get_state(self, obj) -> str:
        return effective_state(obj)

    def get_overdue(self, obj) -> bool:
        return is_overdue(obj)


class ProposalDetailSerializer(ProposalListSerializer):
    author = PersonSerializer(read_only=True)
    estimated_cost = money_out(allow_null=True)
    body_html = serializers.CharField(read_only=True)

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "body",
            "body_html",
            "location",
            "estimated_cost",
            "author",
            "on_behalf_of",
            "first_answered_at",
            "qualified_at",
            "closed_at",
            "decline_reason",
            "follower_count",
            "author_counts",
        ]


class AreaRulesSerializer(serializers.Serializer):
    """An area's rules for its proposals (inherited from the nearest area above that sets them)."""

    endorsement_threshold = serializers.IntegerField(min_value=1, max_value=100000)
    collection_days = serializers.IntegerField(min_value=1, max_value=365)
    response_working_days = serializers.IntegerField(min_value=1, max_value=120)
    author_counts = serializers.BooleanField(
        default=True, help_text="Whether the proposer counts toward the co-signatures by co-signing."
    )
    set_by_area = serializers.CharField(source="area.code", read_only=True, allow_null=True, default=None)


class ProposalWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX, help_text="Markdown")
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    area = serializers.CharField(help_text="Area code")
    location = serializers.CharField(max_length=LOCATION_MAX, required=False, allow_blank=True, default="")
    estimated_cost = AmountField(required=False, allow_null=True)
    organisation = serializers.IntegerField(required=False, allow_null=True, help_text="Act for this organisation")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.ONLINE)
    on_behalf_of = serializers.CharField(max_length=ON_BEHALF_OF_MAX, required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(default=False, help_text="Publish at once instead of saving a draft")


class ProposalUpdateSerializer(serializers.Serializer):
    """A PATCH of a proposal: the title, the text or both; what is not sent stays as it is."""

    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)


class ProposalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True)


class AnswerSerializer(serializers.ModelSerializer):
    official = PersonSerializer(read_only=True)

    class Meta:
        model = OfficialAnswer
        fields = ["id", "official", "status", "reason", "created_at", "working_days_taken", "on_time"]


class AnswerWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    reason = serializers.CharField(max_length=ANSWER_MAX)


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "organisation", "stance", "body", "created_at", "edited_at"]


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.NEUTRAL)
    parent = serializers.IntegerField(required=False, allow_null=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)


class CommentUpdateSerializer(serializers.Serializer):
    """A PATCH of your comment: the text, the stance or both (a reply stays where it is)."""

    body = serializers.CharField(max_length=COMMENT_MAX)
    stance = serializers.ChoiceField(choices=Stance.choices)


class CoSponsorSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)
    pledge_amount = money_out(allow_null=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CoSponsor
        fields = ["id", "person", "organisation", "pledge_kind", "pledge_amount", "pledge_description", "created_at"]


class CoSponsorWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, allow_null=True)
    pledge_kind = serializers.ChoiceField(choices=PledgeKind.choices, default=PledgeKind.NONE)
    pledge_amount = AmountField(required=False, allow_null=True)
    pledge_description = serializers.CharField(
        max_length=PLEDGE_DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )


class EndorsementStateSerializer(serializers.Serializer):
    endorsement_count = serializers.IntegerField()
    state = serializers.CharField()
