from django.urls import path

from . import views

urlpatterns = [
    path("ballots/", views.BoxListView.as_view(), name="api-ballots"),
    path("ballots/receipt/", views.ReceiptCheckView.as_view(), name="api-ballot-receipt"),
    path("ballots/<int:pk>/", views.BoxDetailView.as_view(), name="api-ballot"),
    path("ballots/<int:pk>/vote/", views.VoteView.as_view(), name="api-ballot-vote"),
    path("ballots/<int:pk>/results/", views.ResultsView.as_view(), name="api-ballot-results"),
    path("councils/", views.CouncilListView.as_view(), name="api-councils"),
    path("sessions/", views.SessionListView.as_view(), name="api-sessions"),
    path("sessions/<int:pk>/state/", views.SessionStateView.as_view(), name="api-session-state"),
    path("sessions/<int:pk>/record/", views.SessionRecordView.as_view(), name="api-session-record"),
    path("sessions/<int:pk>/commands/", views.SessionCommandView.as_view(), name="api-session-commands"),
]
