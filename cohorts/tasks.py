"""Background work for cohorts, run by the django-q2 worker."""

from .services.applications import application_received_send


def application_received_notify(application_id: int) -> None:
    """E-mail the applicant that their application arrived."""
    application_received_send(application_id=application_id)


def pair_matched_notify(pair_id: int) -> None:
    """E-mail both members of a published pair their partner's details, once each."""
    from .services.matching import pair_matched_email_send

    pair_matched_email_send(pair_id=pair_id)
