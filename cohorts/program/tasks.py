"""Background work for coordinators' review of applications, run by the django-q2 worker.

Kept apart from cohorts/tasks.py so the review screens and the applicant's own flow can
change independently.
"""

from cohorts.program.services.review import application_status_email_send


def application_status_notify(application_id: int, note: str = "") -> None:
    """Tell the applicant their application's status, with the coordinator's note if any."""
    application_status_email_send(application_id=application_id, note=note)
