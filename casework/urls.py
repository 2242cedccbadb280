from django.urls import include, path

from . import views

app_name = "casework"

# Grouped by what the address starts with: an address outside casework is passed over after two prefixes,
# not every pattern (the work queue and the boards are asked often, and come early in civic.urls).
urlpatterns = [
    path(
        "casework/",
        include(
            [
                path("", views.casework_home, name="home"),
                path("new/", views.report_new, name="report-new"),
                path("similar/", views.similar_fragment, name="similar"),
                path("mine/", views.my_report_list, name="mine"),
                path("queue/", views.work_queue, name="queue"),
                path("queue/lists/", views.work_queue_fragment, name="queue-lists"),
                path("escalations/", views.escalation_list, name="escalations"),
                path("escalations/<int:pk>/acknowledge/", views.escalation_acknowledge, name="escalation-acknowledge"),
                path("reports/<int:pk>/", views.report_detail_page, name="report-detail"),
                path("reports/<int:pk>/photos/<int:photo_pk>/", views.report_photo, name="report-photo"),
                path("reports/<int:pk>/<slug:action>/", views.report_action, name="report-action"),
            ]
        ),
    ),
    path(
        "areas/<str:code>/casework/",
        include(
            [
                path("", views.area_board, name="area-board"),
                path("overdue/", views.area_overdue, name="area-overdue"),
                path("categories/", views.area_categories, name="area-categories"),
                path("units/", views.area_units, name="area-units"),
            ]
        ),
    ),
]
