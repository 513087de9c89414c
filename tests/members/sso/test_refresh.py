"""The daily refresh: a stored refresh token, the token endpoint, then the user-info
endpoint's current claims, under the same rules as a login."""

import datetime

import pytest
from allauth.socialaccount.models import SocialToken

from members.choices import MembershipStatus
from members.models import MemberProfile
from members.sso.tasks import sso_memberships_refresh
from tests.members.sso.helpers import claims, sso_login

pytestmark = pytest.mark.django_db


def test_a_membership_that_lapsed_at_the_association_lapses_at_the_daily_refresh(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso_login(client, sso, "mei")
    lapsed = datetime.date.today() - datetime.timedelta(days=1)
    sso.accounts(mei=claims("mei@example.org", membership_expires=lapsed.isoformat()))

    counts = sso_memberships_refresh()

    assert counts == {"refreshed": 1, "failed": 0}
    profile = MemberProfile.objects.get()
    assert (profile.membership_status, profile.membership_expires) == (
        MembershipStatus.VERIFIED,
        lapsed,
    )


def test_a_refused_refresh_token_changes_nothing(sso, client):
    sso.accounts(mei=claims("mei@example.org"))
    sso_login(client, sso, "mei")
    SocialToken.objects.update(token_secret="not-a-refresh-token")
    before = MemberProfile.objects.get().membership_expires

    counts = sso_memberships_refresh()

    assert counts == {"refreshed": 0, "failed": 1}
    assert MemberProfile.objects.get().membership_expires == before


def test_without_the_sign_on_the_refresh_does_nothing(db):
    assert sso_memberships_refresh() == {"refreshed": 0, "failed": 0}
