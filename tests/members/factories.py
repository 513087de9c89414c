"""Factories for the members tests: a member whose name and e-mail address are found nowhere
else in the database, for the account tests that search the whole database for them.
Members in general are made with ``member()`` in tests/factories.py."""

from allauth.account.models import EmailAddress

from members.models import MemberProfile, User
from tests.factories import UserFactory

# Distinctive, so that a search of the whole database finds nothing else by chance.
EMAIL = "zephyrine.quillfeather@example.org"
FIRST, LAST = "Zephyrine", "Quillfeather"


def make_member(email=EMAIL, *, first_name=FIRST, last_name=LAST, **profile_fields) -> User:
    """A user with a confirmed e-mail address and a profile (pending unless told otherwise),
    Zephyrine Quillfeather at ``EMAIL`` unless told otherwise; other keywords are the
    profile's fields::

        make_member()
        make_member("other.member@example.org", first_name="Ottoline", bio="Other bio")
    """
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    MemberProfile.objects.create(user=user, **profile_fields)
    return user
