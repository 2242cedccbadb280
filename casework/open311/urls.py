"""/open311/v2/…: every path ends in .json or .xml."""

from django.urls import path, re_path

from . import views

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("", views.discovery, {"fmt": "xml"}, name="root"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+)\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", views.request_list, name="requests"),
    re_path(rf"^requests/(?P<pk>[^/.]+)\.{FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/.]+)\.{FMT}$", views.token_detail, name="token"),
]
