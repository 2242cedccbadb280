from django.urls import path

from .views import ballots, sessions

app_name = "deliberation"

urlpatterns = [
    path("ballots/", ballots.ballot_list, name="ballot-list"),
    path("ballots/new/", ballots.ballot_new, name="ballot-new"),
    path("ballots/receipt/", ballots.receipt_check, name="ballot-receipt"),
    path("ballots/<int:pk>/", ballots.ballot_detail, name="ballot-detail"),
    path("ballots/<int:pk>/results/", ballots.ballot_results, name="ballot-results"),
    path("ballots/<int:pk>/manage/", ballots.ballot_manage, name="ballot-manage"),
    path("ballots/<int:pk>/tally/", ballots.ballot_tally, name="ballot-tally"),
    path("ballots/<int:pk>/export.pb", ballots.export_pb, name="ballot-export"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/<int:pk>/", sessions.session_live, name="session-live"),
    path("sessions/<int:pk>/screen/", sessions.session_screen, name="session-screen"),
    path("sessions/<int:pk>/minutes/", sessions.session_minutes, name="session-minutes"),
    path("sessions/<int:pk>/agenda/", sessions.session_agenda, name="session-agenda"),
    path("councils/new/", sessions.council_new, name="council-new"),
    path("councils/<int:pk>/", sessions.council_detail, name="council-detail"),
    path("councils/<int:pk>/rules/", sessions.council_rules, name="council-rules"),
]
