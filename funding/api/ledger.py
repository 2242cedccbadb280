"""Ledger API, read only and public: a project's entries and balances, an area's entries and its area-year caps."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.fields import money_out
from civic.models import Area

from .. import selectors
from ..models import LedgerEntry, MicroProject
from ..views.ledger import parse_year

YEAR = OpenApiParameter("year", int, description="Only the entries charged to this calendar year.")

# --- serializers ---------------------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    """One entry; `balance` is the project's running total of this kind after it (corrections included)."""

    recorded_at = serializers.DateTimeField(source="created_at", read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    amount = money_out()
    balance = money_out()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "recorded_at",
            "project",
            "project_title",
            "area",
            "year",
            "kind",
            "kind_label",
            "amount",
            "balance",
            "condition",
            "reverses",
            "memo",
        ]


class ProjectBalancesSerializer(serializers.Serializer):
    committed = money_out()
    received = money_out()
    received_by_source = serializers.DictField(child=money_out(), read_only=True)
    award = money_out(help_text="The approved award: Σ award entries.")
    advances = money_out()
    settlement = money_out()
    paid = money_out(help_text="advances + settlement")
    recovery_due = money_out()
    recovered = money_out()
    owed_back = money_out(help_text="recovery_due − recovered")
    net_paid = money_out(help_text="paid − recovered")


class ProjectLedgerSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    title = serializers.CharField()
    balances = ProjectBalancesSerializer()
    entries = LedgerEntrySerializer(many=True)


class AreaYearBalanceSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    year = serializers.IntegerField()
    award = money_out(help_text="Awards charged to this area and year (what counts against the cap).")
    paid = money_out(help_text="Advances and settlements booked to this area and year.")
    recovered = money_out()
    cap = money_out(allow_null=True, help_text="Cap per area and year of the newest policy version used; null: none.")
    left = money_out(allow_null=True)
    policy_version = serializers.IntegerField(allow_null=True)


class AreaLedgerBalancesSerializer(serializers.Serializer):
    area = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    charges = AreaYearBalanceSerializer(many=True)


# --- views -----------------------------------------------------------------------------------------------


class ProjectLedgerView(APIView):
    """A project's balances and every ledger entry, oldest first, with running totals per kind."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ProjectLedgerSerializer, summary="Ledger of a micro-project")
    def get(self, request, pk):
        project = get_object_or_404(MicroProject, pk=pk)
        data = {
            "project": project.pk,
            "title": project.title,
            "balances": selectors.project_balances(project),
            "entries": selectors.ledger_entries(project=project),
        }
        return Response(ProjectLedgerSerializer(data).data)


class AreaLedgerView(generics.ListAPIView):
    """The entries of the projects in an area and every area under it, oldest first, paginated; the count is
    kept until an entry is booked there (entries are never changed or removed)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = LedgerEntrySerializer

    def get_queryset(self):
        self.area = get_object_or_404(Area, code=self.kwargs["code"])
        return selectors.area_ledger(self.area, year=parse_year(self.request.query_params.get("year")))

    def get_count_scopes(self):  # every entry bumps `ledger:CODE` of its project's area and those above
        return [f"ledger:{self.area.code}", "areas"]

    @extend_schema(parameters=[YEAR], summary="Ledger of an area")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AreaLedgerBalancesView(APIView):
    """What the area's projects are charged against each (policy area, year) cap, and what was paid there."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[YEAR], responses=AreaLedgerBalancesSerializer, summary="Area-year balances")
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        year = parse_year(request.query_params.get("year"))
        data = {"area": area.code, "year": year, "charges": selectors.area_charges(area, year)}
        return Response(AreaLedgerBalancesSerializer(data).data)
