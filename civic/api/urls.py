from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("areas/", views.AreaListView.as_view(), name="api-area-list"),
    path("areas/<str:code>/", views.AreaDetailView.as_view(), name="api-area-detail"),
]
