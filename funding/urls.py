from django.urls import path

from . import views

urlpatterns = [
    path("areas/<str:code>/subsidy-policy/", views.subsidy_policy, name="subsidy-policy"),
]
