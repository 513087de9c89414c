"""Signed links in e-mails: a check-in answer and a one-click unsubscribe.

Each token carries ids only and is signed with the site's secret under its own salt; the
check-in link expires (CHECKIN_LINK_DAYS), the unsubscribe link does not, because a member
must be able to stop an optional reminder from any old e-mail.
"""

import datetime

from django.core import signing
from django.urls import reverse

CHECKIN_SALT = "cohorts.reminders.checkin"
UNSUBSCRIBE_SALT = "cohorts.reminders.unsubscribe"
CHECKIN_LINK_DAYS = 60


def checkin_path(*, message_id: int, answer: str) -> str:
    token = signing.dumps({"m": message_id, "a": answer}, salt=CHECKIN_SALT, compress=True)
    return reverse("reminder_checkin", args=[token])


def checkin_read(token: str) -> tuple[int, str]:
    """(message id, answer); raises signing.BadSignature (or SignatureExpired) if forged
    or too old."""
    data = signing.loads(
        token, salt=CHECKIN_SALT, max_age=datetime.timedelta(days=CHECKIN_LINK_DAYS)
    )
    return int(data["m"]), str(data["a"])


def unsubscribe_path(*, user_id: int, kind: str) -> str:
    token = signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)
    return reverse("reminder_unsubscribe", args=[token])


def unsubscribe_read(token: str) -> tuple[int, str]:
    """(user id, kind); raises signing.BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])
