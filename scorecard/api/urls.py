from django.urls import path

from . import opendata

urlpatterns = [
    path("open-data/", opendata.CityCatalogueView.as_view(), name="opendata-city"),
    path("open-data/<slug:dataset>/", opendata.CityRowsView.as_view(), name="opendata-city-rows"),
    path("areas/<str:code>/open-data/", opendata.CatalogueView.as_view(), name="opendata"),
    path("areas/<str:code>/open-data/<slug:dataset>/", opendata.RowsView.as_view(), name="opendata-rows"),
]
