from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.models import Area
from civic.services import require_perm

from .. import selectors, services
from . import serializers as s


class SubsidyPolicyView(APIView):
    """An area's subsidy policy: the version in force (own or inherited) and the versions it published.

    Officials of the area or above publish a new version with POST; versions are never changed.
    """

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    @extend_schema(responses=s.SubsidyPolicyOverviewSerializer, summary="Subsidy policy of an area")
    def get(self, request, code):
        area = get_object_or_404(Area, code=code)
        in_force = selectors.policy_in_force(area)
        return Response(
            {
                "area": area.code,
                "in_force": s.SubsidyPolicySerializer(in_force).data if in_force else None,
                "inherited_from": in_force.area.code if in_force and in_force.area_id != area.pk else None,
                "versions": s.SubsidyPolicySerializer(selectors.policy_versions(area), many=True).data,
            }
        )

    @extend_schema(
        request=s.SubsidyPolicyInputSerializer,
        responses={201: s.SubsidyPolicySerializer},
        summary="Publish a new version of an area's subsidy policy",
    )
    def post(self, request, code):
        area = get_object_or_404(Area, code=code)
        require_perm(
            request.user,
            "funding.set_policy",
            area,
            _("Only an official of this area or above can set its subsidy policy."),
        )
        data = validated(s.SubsidyPolicyInputSerializer, request)
        effective_from = data.pop("effective_from", None)
        policy = services.policy_publish(actor=request.user, area=area, data=data, effective_from=effective_from)
        return Response(s.SubsidyPolicySerializer(policy).data, status=status.HTTP_201_CREATED)
