"""The member's own places in the site's main menu: "My mentoring" once they are in a
published pair, "My applications" once they have applied (core.menu, registered in
CohortsConfig.ready)."""

from django.urls import reverse

from cohorts.pairs.selectors.pairs import live_dashboard_page, member_places

MY_MENTORING = "My mentoring"
MY_APPLICATIONS = "My applications"
APPLICATIONS_ANCHOR = "applications"


def member_menu_links(request) -> list[tuple[str, str]]:
    places = member_places(user=request.user)
    links = []
    if places.paired:
        dashboard = live_dashboard_page()
        url = dashboard.get_url(request) if dashboard else None
        if url:
            links.append((MY_MENTORING, url))
    if places.applied:
        links.append((MY_APPLICATIONS, f"{reverse('member_profile')}#{APPLICATIONS_ANCHOR}"))
    return links
