"""Open data API, read only and public: the catalogue of an area's datasets, and each dataset's rows
(paginated like every API list: `?page=`, `count`, `next`, `previous`, `results`)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.models import Area

from .. import opendata
from ..views.opendata import download_urls


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    meaning = serializers.CharField()
    example = serializers.CharField()


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    fields = FieldSerializer(many=True)
    csv = serializers.CharField(help_text="Download address of the CSV file (UTF-8 with a BOM).")
    json = serializers.CharField(help_text="Download address of the JSON file.")
    api = serializers.CharField(help_text="Address of the paginated rows in this API.")


class CatalogueSerializer(serializers.Serializer):
    area = serializers.CharField(allow_null=True)
    area_name = serializers.CharField(allow_null=True)
    datasets = DatasetSerializer(many=True)


def _area(code) -> Area | None:
    return None if code is None else get_object_or_404(Area, code=code)


def catalogue(request, area: Area | None) -> dict:
    datasets = []
    for d in opendata.DATASETS.values():
        urls = {key: request.build_absolute_uri(url) for key, url in download_urls(d, area).items()}
        datasets.append(
            {
                "name": d.name,
                "title": str(d.title),
                "description": str(d.description),
                "fields": [
                    {
                        "name": f.name,
                        "type": f.type,
                        "type_label": str(opendata.TYPES[f.type]),
                        "meaning": str(f.meaning),
                        "example": f.example,
                    }
                    for f in d.fields
                ],
                **urls,
            }
        )
    return {"area": area.code if area else None, "area_name": area.name if area else None, "datasets": datasets}


class CatalogueView(APIView):
    """The open datasets of an area and every area under it (or of the whole city), with every field
    documented and the addresses of the CSV, JSON and API forms. No personal data beyond public display names."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=CatalogueSerializer, summary="Open data catalogue of an area", operation_id="opendata_area"
    )
    def get(self, request, code=None):
        return Response(CatalogueSerializer(catalogue(request, _area(code))).data)


class RowsView(APIView):
    """The rows of one open dataset, oldest first, paginated; each row has exactly the documented fields,
    amounts as strings with two decimals and moments in ISO 8601 with the offset."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=OpenApiTypes.OBJECT, summary="Rows of an area's open dataset", operation_id="opendata_area_rows"
    )
    def get(self, request, dataset, code=None):
        area = _area(code)
        found = opendata.dataset(dataset)
        if found is None:
            raise Http404
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(found.queryset(area), request, view=self)
        base_url = request.build_absolute_uri("/").rstrip("/")
        rows = [opendata.json_row(found, row) for row in found.format_rows(page, base_url)]
        return paginator.get_paginated_response(rows)


class CityCatalogueView(CatalogueView):
    @extend_schema(
        responses=CatalogueSerializer, summary="Open data catalogue of the whole city", operation_id="opendata"
    )
    def get(self, request, code=None):
        return super().get(request)


class CityRowsView(RowsView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT, summary="Rows of a city-wide open dataset", operation_id="opendata_rows"
    )
    def get(self, request, dataset, code=None):
        return super().get(request, dataset)
