"""How a person hears of a coordinator's decision on their membership.

The e-mail goes through the program's outbox, which lives in an app above this one: that
app registers what writes the e-mail (``membership_decision_teller_set``) when it starts, and
the decision calls ``membership_decision_tell`` in its own transaction, so the decision and
its e-mail commit together.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from members.models import MemberProfile

MembershipTeller = Callable[..., None]


def _no_teller(*, profile: MemberProfile, decision: str) -> None:
    raise ImproperlyConfigured(
        "Nothing is registered to e-mail membership decisions (membership_decision_teller_set)."
    )


_teller: MembershipTeller = _no_teller


def membership_decision_teller_set(teller: MembershipTeller) -> None:
    """Register what e-mails a decision: called with ``profile`` and ``decision`` (a
    MembershipStatus value, "verified" or "declined")."""
    global _teller
    _teller = teller


def membership_decision_tell(*, profile: MemberProfile, decision: str) -> None:
    """Tell the person of the decision, through what the program registered."""
    _teller(profile=profile, decision=decision)
