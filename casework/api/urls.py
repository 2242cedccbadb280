from django.urls import path

from . import views as v

urlpatterns = [
    path("casework/reports/", v.ReportListView.as_view(), name="casework-reports"),
    path("casework/reports/mine/", v.MyReportsView.as_view(), name="casework-my-reports"),
    path("casework/reports/<int:pk>/", v.ReportDetailView.as_view(), name="casework-report"),
    path("casework/reports/<int:pk>/resolve/", v.ResolveView.as_view(), name="casework-report-resolve"),
    path("casework/reports/<int:pk>/rating/", v.RateView.as_view(), name="casework-report-rate"),
    *[
        path(f"casework/reports/<int:pk>/{name}/", v.action_view(name), name=f"casework-report-{name}")
        for name in v.ACTIONS
    ],
    path("casework/cells/<str:code>/similar/", v.SimilarView.as_view(), name="casework-similar"),
    path("casework/cells/<str:code>/units/", v.UnitsView.as_view(), name="casework-units"),
    path("casework/areas/<str:code>/categories/", v.CategoriesView.as_view(), name="casework-categories"),
    path("casework/work/", v.WorkView.as_view(), name="casework-work"),
    path("casework/escalations/", v.EscalationsView.as_view(), name="casework-escalations"),
    path(
        "casework/escalations/<int:pk>/acknowledge/",
        v.EscalationAcknowledgeView.as_view(),
        name="casework-escalation-acknowledge",
    ),
]
