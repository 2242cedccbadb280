"""Ballots API: parse, call a service or selector, serialize."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.errors import Conflict, NotFound
from civic.validators import as_pk

from .. import services
from ..models import BallotBox, BallotOption, BoxState


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BallotOption
        fields = ["project_id", "title", "cost", "proposal"]


class BoxSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    phase = serializers.SerializerMethodField()
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
    code = serializers.CharField()


class BoxListView(generics.ListAPIView):
    """Announced, open and past community votes."""

    serializer_class = BoxSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return (
            BallotBox.objects.exclude(state=BoxState.DRAFT)
            .select_related("area")
            .prefetch_related("options")
            .order_by("-closes_at", "-id")
        )


class BoxDetailView(generics.RetrieveAPIView):
    serializer_class = BoxSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return BallotBox.objects.exclude(state=BoxState.DRAFT).select_related("area").prefetch_related("options")


class VoteView(APIView):
    """Cast a ballot (or change it, if the box allows; a secret ballot needs its receipt)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VoteSerializer, responses={201: ReceiptSerializer, 200: ReceiptSerializer})
    def post(self, request, pk):
        box = get_object_or_404(BallotBox.objects.exclude(state=BoxState.DRAFT), pk=pk)
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _ballot, code = services.vote_cast(
            user=request.user,
            box=box,
            choices=data.validated_data["choices"],
            receipt=data.validated_data.get("receipt") or None,
        )
        return Response(
            {"receipt": code, "changed": code is None}, status=status.HTTP_201_CREATED if code else status.HTTP_200_OK
        )


class ResultsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        box = get_object_or_404(BallotBox, pk=pk)
        if box.state != BoxState.TALLIED:
            raise Conflict("results_hidden", _("Results are published after the vote has closed and been counted."))
        return Response({"box": box.pk, "tallied_at": box.tallied_at, **box.result})


class ReceiptCheckView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=ReceiptCheckSerializer,
        responses={200: dict},
        summary="Check that the ballot with this receipt is in the box",
    )
    def post(self, request):
        data = ReceiptCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = services.receipt_check(data.validated_data["code"])
        if ballot is None:
            raise NotFound("receipt_unknown", _("No ballot has this receipt code. Check the code for typing mistakes."))
        return Response(
            {"box": ballot.box_id, "counted": ballot.box.state == BoxState.TALLIED, "choices": ballot.choices}
        )


# --- councils and sessions ------------------------------------------------------------------------

from .. import selectors  # noqa: E402
from ..models import Council, Session, SessionRecord  # noqa: E402


class CouncilSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    members = serializers.IntegerField(source="member_count", read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "area", "preset", "members"]


class SessionSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name")
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "title", "council", "starts_at", "place", "public", "phase", "seq", "agenda"]

    def get_agenda(self, obj) -> list:
        return [
            {"position": i.position, "title": i.title, "proposal": i.proposal_id, "planned_minutes": i.planned_minutes}
            for i in obj.items.all()
        ]


class CommandSerializer(serializers.Serializer):
    command = serializers.DictField(
        help_text='e.g. {"type": "request_floor", "side": "for"}; see docs/live-protocol.md'
    )
    expected_seq = serializers.IntegerField(required=False, help_text="Refused as stale if the session has moved on")


class CouncilListView(generics.ListAPIView):
    serializer_class = CouncilSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return (
            Council.objects.select_related("area")
            .annotate(member_count=Count("members"))
            .order_by("area__path", "name")
        )


class SessionListView(generics.ListAPIView):
    serializer_class = SessionSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return (
            Session.objects.filter(public=True)
            .select_related("council")
            .prefetch_related("items")
            .order_by("-starts_at")
        )


def _session_for(request, pk) -> Session:
    session = get_object_or_404(Session.objects.select_related("council__area"), pk=pk)
    if not services.can_watch(request.user, session):
        raise NotFound("not_found", _("Not found."))
    return session


class SessionStateView(APIView):
    """The live state for the requesting person: phase, motions, speaker and timer, queue, vote, and the
    actions that are in order for them now."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        return Response(selectors.session_snapshot(_session_for(request, pk), request.user))


class SessionRecordView(APIView):
    """The session's numbered events (the record the minutes come from); `?after=N` for the ones after N."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        session = _session_for(request, pk)
        after = as_pk(request.query_params.get("after")) or 0
        rows = (
            SessionRecord.objects.filter(session=session, kind="event", seq__gt=after)
            .order_by("seq")
            .values_list("seq", "payload")[:1000]
        )
        return Response({"session": session.pk, "seq": session.seq, "events": [{**p, "seq": s} for s, p in rows]})


class SessionCommandView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CommandSerializer, responses={200: dict}, summary="Apply one command of the rules of order")
    def post(self, request, pk):
        data = CommandSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        events = services.session_command(
            user=request.user,
            session=_session_for(request, pk),
            command=data.validated_data["command"],
            expected_seq=data.validated_data.get("expected_seq"),
        )
        return Response({"events": events})
