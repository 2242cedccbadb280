from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("casework/", views.casework_home, name="home"),
    path("casework/new/", views.report_new, name="report-new"),
    path("casework/similar/", views.similar_fragment, name="similar"),
    path("casework/mine/", views.my_report_list, name="mine"),
    path("casework/queue/", views.work_queue, name="queue"),
    path("casework/queue/lists/", views.work_queue_fragment, name="queue-lists"),
    path("casework/escalations/", views.escalation_list, name="escalations"),
    path("casework/escalations/<int:pk>/acknowledge/", views.escalation_acknowledge, name="escalation-acknowledge"),
    path("casework/reports/<int:pk>/", views.report_detail_page, name="report-detail"),
    path("casework/reports/<int:pk>/photos/<int:photo_pk>/", views.report_photo, name="report-photo"),
    path(
        "casework/reports/<int:pk>/<slug:action>/",
        views.report_action,
        name="report-action",
    ),
    path("areas/<str:code>/casework/", views.area_board, name="area-board"),
    path("areas/<str:code>/casework/overdue/", views.area_overdue, name="area-overdue"),
    path("areas/<str:code>/casework/categories/", views.area_categories, name="area-categories"),
    path("areas/<str:code>/casework/units/", views.area_units, name="area-units"),
]
