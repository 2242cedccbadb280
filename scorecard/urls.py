from django.urls import path

from . import views

app_name = "scorecard"

urlpatterns = [
    path("open-data/", views.opendata_index, name="opendata-city"),
    path("open-data/<slug:dataset>.csv", views.opendata_download, {"fmt": "csv"}, name="opendata-city-csv"),
    path("open-data/<slug:dataset>.json", views.opendata_download, {"fmt": "json"}, name="opendata-city-json"),
    path("areas/<str:code>/open-data/", views.opendata_index, name="opendata"),
    path("areas/<str:code>/open-data/<slug:dataset>.csv", views.opendata_download, {"fmt": "csv"}, name="opendata-csv"),
    path(
        "areas/<str:code>/open-data/<slug:dataset>.json", views.opendata_download, {"fmt": "json"}, name="opendata-json"
    ),
]
urlpatterns += [  # the five-governance dashboard and the yearly report
    path("scorecard/", views.city_scorecard, name="scorecard-city"),
    path("areas/<str:code>/scorecard/", views.area_scorecard, name="scorecard-area"),
    path("report/<int:year>/", views.city_report, name="scorecard-report-city"),
    path("areas/<str:code>/report/<int:year>/", views.area_report, name="scorecard-report-area"),
]
