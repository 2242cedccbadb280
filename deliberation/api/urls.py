from django.urls import path

from . import ballots, sessions

urlpatterns = [
    path("ballots/", ballots.BoxListView.as_view(), name="api-ballots"),
    path("ballots/receipt/", ballots.ReceiptCheckView.as_view(), name="api-ballot-receipt"),
    path("ballots/<int:pk>/", ballots.BoxDetailView.as_view(), name="api-ballot"),
    path("ballots/<int:pk>/vote/", ballots.VoteView.as_view(), name="api-ballot-vote"),
    path("ballots/<int:pk>/results/", ballots.ResultsView.as_view(), name="api-ballot-results"),
    path("councils/", sessions.CouncilListView.as_view(), name="api-councils"),
    path("sessions/", sessions.SessionListView.as_view(), name="api-sessions"),
    path("sessions/<int:pk>/state/", sessions.SessionStateView.as_view(), name="api-session-state"),
    path("sessions/<int:pk>/record/", sessions.SessionRecordView.as_view(), name="api-session-record"),
    path("sessions/<int:pk>/commands/", sessions.SessionCommandView.as_view(), name="api-session-commands"),
]
