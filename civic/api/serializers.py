from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from civic.models import (
    Area,
    AreaRole,
    AuditEntry,
    DeliveryChoice,
    Membership,
    MembershipRole,
    ModerationCase,
    Notification,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    ReportReason,
    ResidencyVerification,
    TimelineEntry,
    User,
)
from civic.registry import NOTIFICATION_KINDS
from civic.services.moderation import REASON_MAX as MODERATION_REASON_MAX
from civic.services.moderation import REPORT_TEXT_MAX
from civic.services.organisations import ORGANISATION_DESCRIPTION_MAX, ORGANISATION_NAME_MAX, REQUEST_MESSAGE_MAX
from civic.services.people import BIO_MAX, DISPLAY_NAME_MAX, PHONE_MAX
from civic.services.verification import ADDRESS_MAX, REASON_MAX  # the same 500 as a role's revocation


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class PublicProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name", read_only=True)
    verified_resident = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "bio", "date_joined", "verified_resident"]


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(max_length=DISPLAY_NAME_MAX)
    phone = serializers.CharField(max_length=PHONE_MAX, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=BIO_MAX, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "phone", "preferred_language", "bio", "date_joined"]
        read_only_fields = ["id", "email", "date_joined"]


class TokenRequestSerializer(serializers.Serializer):
    """Sign in with an e-mail address or a mobile number (one of the two) and the password."""

    email = serializers.EmailField(label=_("E-mail address"), required=False)
    phone = serializers.CharField(label=_("Mobile number"), required=False, max_length=20)
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        if bool(attrs.get("email")) == bool(attrs.get("phone")):
            raise serializers.ValidationError(
                {"email": [_("Give either an e-mail address or a mobile number.")]}, code="login_missing"
            )
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # the city has none
    child_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "depth", "child_count"]


class AreaBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "level"]


class EligibilitySerializer(serializers.Serializer):
    area = serializers.CharField()
    eligible = serializers.BooleanField()


class VerificationSerializer(serializers.ModelSerializer):
    cell = AreaBriefSerializer(read_only=True)
    person = PersonSerializer(source="user", read_only=True)
    has_proof = serializers.SerializerMethodField()

    class Meta:
        model = ResidencyVerification
        fields = [
            "id",
            "person",
            "cell",
            "address",
            "status",
            "created_at",
            "decided_at",
            "reason",
            "expires_at",
            "has_proof",
        ]

    def get_has_proof(self, obj) -> bool:
        return bool(obj.proof)


class VerificationRequestSerializer(serializers.Serializer):
    cell = serializers.CharField(help_text="Code of the grid cell you live in")
    address = serializers.CharField(max_length=ADDRESS_MAX)
    proof = serializers.FileField(
        required=False, help_text="JPEG, PNG or PDF, up to settings.UPLOAD_MAX_BYTES (10 MiB); checked by parsing"
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class OrganisationSerializer(serializers.ModelSerializer):
    areas = AreaBriefSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "description",
            "areas",
            "confirmed",
            "confirmed_at",
            "member_count",
        ]


class OrganisationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=ORGANISATION_NAME_MAX)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    description = serializers.CharField(max_length=ORGANISATION_DESCRIPTION_MAX, required=False, allow_blank=True)
    areas = serializers.ListField(child=serializers.CharField(), help_text="Codes of the areas served")


class OrganisationUpdateSerializer(serializers.Serializer):
    """A PATCH of an organisation: any of these; what is not sent stays as it is."""

    name = serializers.CharField(max_length=ORGANISATION_NAME_MAX)
    description = serializers.CharField(max_length=ORGANISATION_DESCRIPTION_MAX, allow_blank=True)
    areas = serializers.ListField(child=serializers.CharField(), min_length=1, help_text="Codes of the areas served")


class MembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "role", "joined_at"]


class OrganisationRequestSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = OrganisationRequest
        fields = ["id", "organisation", "person", "kind", "role", "message", "status", "created_at", "decided_at"]


class JoinRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=REQUEST_MESSAGE_MAX, required=False, allow_blank=True)


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.MEMBER)


class TimelineEntrySerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "created_at", "verb", "text", "url"]


class AreaRoleSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)
    area = AreaBriefSerializer(read_only=True)

    class Meta:
        model = AreaRole
        fields = ["id", "person", "area", "role", "granted_at"]


class RoleGrantSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=AreaRole._meta.get_field("role").choices)


class ReportSerializer(serializers.Serializer):
    content_type = serializers.CharField(help_text="What is reported, e.g. civic.organisation or civic.user")
    object_id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(max_length=REPORT_TEXT_MAX, required=False, allow_blank=True)


class ModerationCaseSerializer(serializers.ModelSerializer):
    content_type = serializers.SerializerMethodField()
    area = AreaBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ModerationCase
        fields = [
            "id",
            "content_type",
            "object_id",
            "area",
            "excerpt",
            "status",
            "report_count",
            "auto_hidden",
            "decided_at",
            "decision_reason",
            "created_at",
            "updated_at",
        ]

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class ModerationDecisionSerializer(serializers.Serializer):
    hide = serializers.BooleanField()
    reason = serializers.CharField(max_length=MODERATION_REASON_MAX)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="Omit to mark all")


class NotificationPreferencesField(serializers.DictField):
    """Kind of notification → delivery. Only the kinds the apps registered are known: another key is
    refused, naming it (a misspelt kind must not look like a saved choice)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=DeliveryChoice.choices), **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(set(value) - set(NOTIFICATION_KINDS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown kind of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)},
                code="notification_kind_unknown",
            )
        return value


class NotificationPreferencesFieldSchema(OpenApiSerializerFieldExtension):
    """The schema lists the registered kinds (known only once the apps are ready) and no others."""

    target_class = NotificationPreferencesField

    def map_serializer_field(self, auto_schema, direction):
        delivery = {"type": "string", "enum": list(DeliveryChoice.values)}
        return {
            "type": "object",
            "properties": dict.fromkeys(NOTIFICATION_KINDS, delivery),
            "additionalProperties": False,
        }


class PreferencesSerializer(serializers.Serializer):
    preferences = NotificationPreferencesField(help_text="Kind of notification → immediate, daily or off")


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)  # the system (tick) acts without a person
    acting_for = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    assisted_by = PersonSerializer(read_only=True, allow_null=True, help_text="Staff who did it in person (代办)")
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "acting_for",
            "assisted_by",
            "channel",
            "action",
            "object_repr",
            "object_id",
            "area",
            "before",
            "after",
        ]
