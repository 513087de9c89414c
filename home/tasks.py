"""Background work for the public site, run by the django-q2 worker."""

from home.services import contact_digest_send as contact_digest_deliver
from home.services import contact_submission_send


def contact_submission_notify(submission_id: int) -> bool:
    return contact_submission_send(submission_id=submission_id)


def contact_digest_send() -> int:
    """Hourly (setup_schedules): the contact messages past the hourly ceiling, in one e-mail."""
    return contact_digest_deliver()
