"""Background work for published pairs' requests, run by the django-q2 worker.

cohorts.pairs.services.pairs enqueues these by dotted name after each commit, with ids only; the
e-mails themselves are cohorts.pairs.services.emails.
"""

from cohorts.pairs.services.emails import (
    support_answer_email_send,
    support_request_email_send,
)


def support_request_notify(request_id: int) -> None:
    """Tell the pair's liaison (or the subcommittee) that a request for help waits."""
    support_request_email_send(request_id=request_id)


def support_answer_notify(request_id: int) -> None:
    """Send a coordinator's answer to the participant who asked for help."""
    support_answer_email_send(request_id=request_id)
