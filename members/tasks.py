"""Background work for members, run by the django-q2 worker."""

from members.services.notifications import membership_decision_send


def membership_decision_notify(profile_id: int, decision: str) -> None:
    membership_decision_send(profile_id=profile_id, decision=decision)
