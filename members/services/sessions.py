"""Ending an account's sessions everywhere."""

from django.db.models import F

from members.models import User


def member_sessions_end(*, user) -> None:
    """Invalidate every session of this account on its next request, on every device."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
