"""What the tests of the matching workspace share besides their fixtures: its address, an
action posted to it, and the check that a matching service refuses with a given message."""

import pytest
from django.urls import reverse

from cohorts.matching import services

WORKSPACE = "cohorts_matching:workspace"


def post(client, cohort, action: str, **data):
    """``action`` posted to the cohort's matching workspace with ``data``."""
    return client.post(reverse(WORKSPACE, args=[cohort.pk]), {"action": action, **data})


def refused(call, message: str):
    """The call raises MatchingError with exactly this message."""
    with pytest.raises(services.MatchingError) as error:
        call()
    assert str(error.value) == message
