from django.urls import path

from . import ballots, sessions

urlpatterns = [
    path("ballots/", ballots.BoxListView.as_view(), name="ballots"),
    path("ballots/receipt/", ballots.ReceiptCheckView.as_view(), name="ballot-receipt"),
    path("ballots/<int:pk>/", ballots.BoxDetailView.as_view(), name="ballot"),
    path("ballots/<int:pk>/vote/", ballots.VoteView.as_view(), name="ballot-vote"),
    path("ballots/<int:pk>/results/", ballots.ResultsView.as_view(), name="ballot-results"),
    path("councils/", sessions.CouncilListView.as_view(), name="councils"),
    path("councils/<int:pk>/rules/", sessions.CouncilRulesView.as_view(), name="council-rules"),
    path("sessions/", sessions.SessionListView.as_view(), name="sessions"),
    path("sessions/<int:pk>/state/", sessions.SessionStateView.as_view(), name="session-state"),
    path("sessions/<int:pk>/record/", sessions.SessionRecordView.as_view(), name="session-record"),
    path("sessions/<int:pk>/commands/", sessions.SessionCommandView.as_view(), name="session-commands"),
    path("sessions/<int:pk>/agenda/", sessions.SessionAgendaView.as_view(), name="session-agenda"),
]
