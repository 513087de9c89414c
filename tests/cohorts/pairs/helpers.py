"""What the tests of the coordinators' pair screens share besides their fixtures: the
screens' addresses, an export and a posted action. The people who use the screens and the
pair they look at are fixtures in conftest.py."""

from django.urls import reverse

from cohorts.choices import ChangeRequestStatus

INDEX = "cohorts_pair:index"
INSPECT = "cohorts_pair:inspect"
VIEW_LOG = "cohorts_pairviewlog:index"
C = ChangeRequestStatus


def export(client, export_format: str, **params) -> bytes:
    """The pair listing exported as ``export_format`` ("csv" or "xlsx") under ``params``."""
    response = client.get(reverse(INDEX), {**params, "export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def post(client, pair, action: str, **data):
    """``action`` posted to the pair's screen with ``data``."""
    return client.post(reverse(INSPECT, args=[pair.pk]), {"action": action, **data})
