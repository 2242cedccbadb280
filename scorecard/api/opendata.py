"""Open data API, read only and public: the catalogue of an area's datasets, and each dataset's rows
(paginated like every API list: `?page=`, `count`, `next`, `previous`, `results`)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.pagination import Pagination
from civic.errors import NotFound
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


class OpenDataRowsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Rows in the whole dataset.")
    next = serializers.URLField(allow_null=True, help_text="Address of the next page; null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="Address of the page before; null on the first.")
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text="The rows: each has exactly the dataset's documented fields (see the catalogue).",
    )


class OpenDataErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="area_unknown, dataset_unknown or not_found (no such page).")
    detail = serializers.CharField(help_text="What went wrong, in the language asked for.")
    field = serializers.CharField(required=False)


NOT_FOUND = OpenApiResponse(
    OpenDataErrorSerializer, description="No area with this code, no dataset with this name, or no such page."
)
DATASET = OpenApiParameter(
    "dataset", str, OpenApiParameter.PATH, enum=list(opendata.DATASETS), description="Name of the dataset."
)
PAGE = OpenApiParameter("page", int, OpenApiParameter.QUERY, description="Page number, from 1.")


def _area(code) -> Area | None:
    if code is None:
        return None
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound("area_unknown", _("No area has the code %(code)s.") % {"code": code}, field="area")
    return area


def _dataset(name) -> opendata.Dataset:
    found = opendata.dataset(name)
    if found is None:
        raise NotFound("dataset_unknown", _("There is no open dataset called %(name)s.") % {"name": name})
    return found


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
        responses={200: CatalogueSerializer, 404: NOT_FOUND},
        summary="Open data catalogue of an area",
        operation_id="opendata_area",
        tags=["open-data"],
    )
    def get(self, request, code=None):
        return Response(CatalogueSerializer(catalogue(request, _area(code))).data)


class RowsView(APIView):
    """The rows of one open dataset, oldest first, paginated; each row has exactly the documented fields,
    amounts as strings with two decimals and moments in ISO 8601 with the offset."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[DATASET, PAGE],
        responses={200: OpenDataRowsPageSerializer, 404: NOT_FOUND},
        summary="Rows of an area's open dataset",
        operation_id="opendata_area_rows",
        tags=["open-data"],
    )
    def get(self, request, dataset, code=None):
        area = _area(code)
        found = _dataset(dataset)
        paginator = Pagination()  # deep pages by id, like every API list
        page = paginator.paginate_queryset(found.queryset(area), request, view=self)
        base_url = request.build_absolute_uri("/").rstrip("/")
        rows = [opendata.json_row(found, row) for row in found.format_rows(page, base_url)]
        return paginator.get_paginated_response(rows)


class CityCatalogueView(CatalogueView):
    @extend_schema(
        responses=CatalogueSerializer,
        summary="Open data catalogue of the whole city",
        operation_id="opendata",
        tags=["open-data"],
    )
    def get(self, request, code=None):
        return super().get(request)


class CityRowsView(RowsView):
    @extend_schema(
        parameters=[DATASET, PAGE],
        responses={200: OpenDataRowsPageSerializer, 404: NOT_FOUND},
        summary="Rows of a city-wide open dataset",
        operation_id="opendata_rows",
        tags=["open-data"],
    )
    def get(self, request, dataset, code=None):
        return super().get(request, dataset)
