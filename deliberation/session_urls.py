from django.urls import path

from . import session_views as views

urlpatterns = [
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:pk>/", views.session_live, name="session-live"),
    path("sessions/<int:pk>/screen/", views.session_screen, name="session-screen"),
    path("sessions/<int:pk>/minutes/", views.session_minutes, name="session-minutes"),
    path("councils/new/", views.council_new, name="council-new"),
    path("councils/<int:pk>/", views.council_detail, name="council-detail"),
]
