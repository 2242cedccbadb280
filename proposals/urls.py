from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="proposal-list"),
    path("new/", views.proposal_new, name="proposal-new"),
    path("similar/", views.similar, name="proposal-similar"),
    path("answers/", views.overdue, name="proposal-overdue"),
    path("categories/", views.categories, name="proposal-categories"),
    path("rules/<str:code>/", views.area_rules, name="proposal-area-rules"),
    path("from-reports/<str:code>/", views.from_reports, name="proposal-from-reports"),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_file, name="proposal-attachment"),
    path("<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("<int:pk>/<str:action>/", views.proposal_action, name="proposal-action"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
]
