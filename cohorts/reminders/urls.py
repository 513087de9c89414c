"""Members' e-mail pages: their reminder choices (login required), and the signed links in
e-mails (no login: the signature is the proof)."""

from django.urls import path

from cohorts.reminders import views as reminders

urlpatterns = [
    path("accounts/reminders/", reminders.preferences, name="reminder_preferences"),
    path("reminders/unsubscribe/<str:token>/", reminders.unsubscribe, name="reminder_unsubscribe"),
    path("reminders/check-in/<str:token>/", reminders.checkin, name="reminder_checkin"),
]
