"""Background work for cohorts, run by the django-q2 worker."""

from .services.applications import application_received_send


def application_received_notify(application_id: int) -> None:
    """E-mail the applicant that their application arrived."""
    application_received_send(application_id=application_id)
