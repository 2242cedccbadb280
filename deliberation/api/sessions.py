"""Councils and live sessions over the API: parse, call a service or selector, serialize."""

from collections.abc import Mapping

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.errors import NotAllowed, NotFound
from civic.validators import as_pk

from .. import procedure, selectors, services
from ..commands import parse_expected_seq
from ..models import Council, RulePreset, Session, SessionRecord


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
            {
                "id": i.pk,
                "position": i.position,
                "title": i.title,
                "proposal": i.proposal_id,
                "planned_minutes": i.planned_minutes,
            }
            for i in obj.items.all()
        ]


class CommandSerializer(serializers.Serializer):
    command = serializers.DictField(
        help_text='e.g. {"type": "request_floor", "side": "for"}; its fields per type: docs/live-protocol.md'
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

    def get_count_scopes(self):
        return ["councils"]


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

    def get_count_scopes(self):  # a session's save bumps `sessions`, but a step of the live meeting
        return ["sessions"]


def _session_for(request, pk) -> Session:
    session = get_object_or_404(Session.objects.select_related("council__area"), pk=pk)
    if not request.user.has_perm("deliberation.watch_session", session):
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
        # The command's shape is checked by deliberation.commands (inside the service), the one schema
        # that the WebSocket shares; the serializer above documents the envelope.
        body = request.data if isinstance(request.data, Mapping) else {}
        events = services.session_command(
            user=request.user,
            session=_session_for(request, pk),
            command=body.get("command"),
            expected_seq=parse_expected_seq(body.get("expected_seq")),
        )
        return Response({"events": events})


class CouncilRulesSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(choices=RulePreset.choices)
    overrides = serializers.DictField(
        required=False,
        default=dict,
        help_text=(
            'What the council changes in the preset, e.g. {"chair_mode": "outside", "quorum_kind": "share", '
            '"quorum_value": "2/3", "thresholds": {"main": "majority_present"}}; the settings: docs/rules-of-order.md'
        ),
    )


def _council_rules(council: Council) -> dict:
    rules = procedure.rules_from_preset(council.preset, council.overrides)
    return {
        "council": council.pk,
        "preset": council.preset,
        "overrides": council.overrides,
        "rules": procedure.rules_to_json(rules),
    }


class CouncilRulesView(APIView):
    """A council's rules of order: its preset, its adjustments, and the whole rule set they make. Its
    organisers change them with PUT; each session keeps the rules it opened under."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        return Response(_council_rules(get_object_or_404(Council, pk=pk)))

    @extend_schema(request=CouncilRulesSerializer, responses={200: dict}, summary="Change a council's rules of order")
    def put(self, request, pk):
        council = get_object_or_404(Council.objects.select_related("area"), pk=pk)
        if not request.user.has_perm("deliberation.manage_council", council.area):
            raise NotAllowed(
                "not_allowed", _("Only organisers and officials of this area can change the council's rules.")
            )
        data = validated(CouncilRulesSerializer, request)
        council = services.council_rules_set(
            actor=request.user, council=council, preset=data["preset"], overrides=data["overrides"]
        )
        return Response(_council_rules(council))


class AgendaOrderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every agenda item's id, in the order the council takes them up"
    )


class SessionAgendaView(APIView):
    """A session's agenda in its order; its organisers reorder it with PUT before the session opens."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        session = _session_for(request, pk)
        return Response({"session": session.pk, "agenda": SessionSerializer().get_agenda(session)})

    @extend_schema(request=AgendaOrderSerializer, responses={200: dict}, summary="Set the order of a session's agenda")
    def put(self, request, pk):
        session = _session_for(request, pk)
        if not request.user.has_perm("deliberation.manage_council", session.council.area):
            raise NotAllowed("not_allowed", _("Only organisers and officials of this area can set the agenda."))
        data = validated(AgendaOrderSerializer, request)
        services.session_agenda_order(actor=request.user, session=session, order=list(data["order"]))
        return Response({"session": session.pk, "agenda": SessionSerializer().get_agenda(session)})
