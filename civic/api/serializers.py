from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civic.models import Area, User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "date_joined"]
        read_only_fields = ["id", "email", "date_joined"]


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("E-mail address"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    child_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "depth", "child_count"]
