"""The "needs you now" list at the top of the dashboard and of each pair's page: what
cohorts.pairs.selectors.needs finds, with each place turned into an address."""

from django.utils import timezone

from cohorts.pairs.selectors.needs import member_needs
from cohorts.pairs.views.dashboard.base import PairSide


def needs_now(
    sides: list[PairSide], *, progress: dict | None = None, ended: list[PairSide] = ()
) -> list[dict]:
    """(kind, text, links) for each need on ``sides`` (one member's running pairs) and on
    ``ended`` (theirs that have ended), most pressing first; ``progress`` by pair id when
    the page has read it already."""
    every = [*sides, *ended]
    if not every:
        return []
    needs = member_needs(
        user=every[0].user,
        pairs=[side.pair for side in sides],
        today=timezone.localdate(),
        progress=progress,
        ended=[side.pair for side in ended],
    )
    rows = []
    for need in needs:
        side = next(side for side in every if need.concerns(side.pair))
        links = [
            (link.label, link.url or side.url(link.section, anchor=link.anchor))
            for link in need.links
        ]
        rows.append({"kind": need.kind, "text": need.text, "links": links})
    return rows
