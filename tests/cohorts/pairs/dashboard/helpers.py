"""What the pair dashboard's tests share besides their fixtures: the dashboard's addresses,
the check that a page is private, and a contact as the dashboard's form posts it. The
dashboard's people and pair are fixtures in conftest.py, built by ``dashboard_pair``."""

import datetime

from django.utils import timezone

TODAY = timezone.localdate()


def url(dashboard, pair=None, section="", item=None) -> str:
    """A dashboard address, built from the page's own routes."""
    if pair is None:
        return dashboard.url
    if item is not None:
        return dashboard.url + dashboard.reverse_subpage(
            "pair_item", args=[pair.pk, section, item]
        )
    if section:
        return dashboard.url + dashboard.reverse_subpage("pair_section", args=[pair.pk, section])
    return dashboard.url + dashboard.reverse_subpage("pair", args=[pair.pk])


def assert_private(response) -> None:
    """The response may be kept by no cache: it is private and never stored."""
    cache_control = response.headers.get("Cache-Control", "")
    assert "private" in cache_control and "no-store" in cache_control, cache_control


def contact_data(**overrides) -> dict:
    """A contact three days ago, as the contact form posts it; ``overrides`` change fields."""
    data = {
        "date": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "minutes": "45",
        "method": "virtual",
        "conference": "",
        "summary": "We talked about RDA.",
    }
    return {**data, **overrides}
