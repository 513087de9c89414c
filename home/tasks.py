"""Background work for the public site, run by the django-q2 worker."""

from home.services import contact_submission_send


def contact_submission_notify(submission_id: int) -> bool:
    return contact_submission_send(submission_id=submission_id)
