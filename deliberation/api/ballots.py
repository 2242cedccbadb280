"""Ballot boxes over the API: parse, call a service or selector, serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.acting import acting_pair
from civic.api.fields import money_out
from civic.api.utils import ACTING_FOR, validated
from civic.errors import Conflict, NotFound

from .. import pages, selectors, services
from ..models import BallotBox, BallotOption, BoxState


def _visible_box(request, pk) -> BallotBox:
    box = selectors.box_for(request.user, pk)
    if box is None:
        raise NotFound("not_found", _("Not found."))
    return box


class OptionSerializer(serializers.ModelSerializer):
    cost = money_out(allow_null=True)

    class Meta:
        model = BallotOption
        fields = ["project_id", "title", "cost", "proposal"]


class BoxSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    phase = serializers.SerializerMethodField()
    budget = money_out(allow_null=True)
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = BallotBox
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "area",
            "phase",
            "opens_at",
            "closes_at",
            "secret",
            "allow_change",
            "budget",
            "rule",
            "min_choices",
            "max_choices",
            "quorum_share",
            "threshold",
            "turnout",
            "imported",
            "options",
        ]

    def get_phase(self, obj) -> str:
        return obj.phase()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["turnout"] = instance.turnout_now  # the row's count and the online ballots' shares (exact)
        return data


class VoteSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.CharField(max_length=40),
        help_text="project_ids of the chosen options; yes, no or abstain for a question",
    )
    receipt = serializers.CharField(required=False, allow_blank=True, help_text="Needed to change a secret ballot")


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(read_only=True, allow_null=True, help_text="Shown once: keep it")
    changed = serializers.BooleanField(read_only=True)


class ReceiptCheckSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class ReceiptStatusSerializer(serializers.Serializer):
    """What a receipt proves: the ballot is in this box, and whether the box is counted. Never the choices,
    so a receipt cannot prove to anyone how its voter voted."""

    box = serializers.IntegerField(source="box.pk", help_text="The ballot box holding the ballot")
    title = serializers.CharField(source="box.title", help_text="The ballot box's title")
    counted = serializers.BooleanField(help_text="True once the box is counted and its results published")
    closed = serializers.BooleanField(help_text="True once the vote has closed (counted or waiting for the count)")


class BoxListView(generics.ListAPIView):
    """Announced, open and past community votes (and the drafts of the areas one manages)."""

    serializer_class = BoxSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.visible_boxes(self.request.user).prefetch_related("options").order_by("-closes_at", "-id")

    def get_count_scopes(self):  # every save of a box bumps `ballots:*`; the drafts one manages: `roles`
        return [*pages.ballot_list_scopes(None), "roles"]


class BoxDetailView(generics.RetrieveAPIView):
    serializer_class = BoxSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.visible_boxes(self.request.user).prefetch_related("options")


class VoteView(APIView):
    """Cast a ballot (or change it, if the box allows; a secret ballot needs its receipt)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=VoteSerializer, responses={201: ReceiptSerializer, 200: ReceiptSerializer}, parameters=[ACTING_FOR]
    )
    def post(self, request, pk):
        person, assisted_by = acting_pair(request)  # acting for a resident in person (代办), or oneself
        try:  # read before the box is locked (a slow sender holds no lock); a broken body is told after who may
            body = request.data
        except APIException as error:
            body = error
        with services.box_held(viewer=request.user, pk=pk) as box:  # the box read once, in the ballot's transaction
            services.vote_allowed(user=person, box=box)  # who may, before what they sent is looked at
            if isinstance(body, APIException):
                raise body
            data = VoteSerializer(data=body)
            data.is_valid(raise_exception=True)
            _ballot, code = services.vote_cast(
                user=person,
                box=box,
                choices=data.validated_data["choices"],
                receipt=data.validated_data.get("receipt") or None,
                assisted_by=assisted_by,
            )
        return Response(
            {"receipt": code, "changed": code is None}, status=status.HTTP_201_CREATED if code else status.HTTP_200_OK
        )


class ResultsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        box = _visible_box(request, pk)
        if box.state != BoxState.TALLIED:
            raise Conflict("results_hidden", _("Results are published after the vote has closed and been counted."))
        return Response({"box": box.pk, "tallied_at": box.tallied_at, **box.result})


class ReceiptCheckView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=ReceiptCheckSerializer,
        responses={200: ReceiptStatusSerializer},
        summary="Check that the ballot with this receipt is in the box, and whether it is counted (never its choices)",
    )
    def post(self, request):
        receipt = selectors.receipt_check(validated(ReceiptCheckSerializer, request)["code"])
        if receipt is None:
            raise NotFound("receipt_unknown", _("No ballot has this receipt code. Check the code for typing mistakes."))
        return Response(ReceiptStatusSerializer(receipt).data)
