from django.urls import path

from . import views as v

urlpatterns = [
    path("areas/<str:code>/subsidy-policy/", v.SubsidyPolicyView.as_view(), name="api-subsidy-policy"),
]
