"""The coordinators' "Mentoring" menu in the Wagtail admin.

Each app registers its own screens here from its ``wagtail_hooks`` module, with a number that
places them in the menu; the portal groups whatever was registered into one menu. No app
imports another app's screens.
"""

_screens: list[tuple[int, type]] = []


def mentoring_menu_register(viewset_class: type, *, order: int) -> None:
    """Put a viewset class in the Mentoring menu, at ``order`` (lower comes first)."""
    if all(registered is not viewset_class for _order, registered in _screens):
        _screens.append((order, viewset_class))


def mentoring_menu_items() -> tuple[type, ...]:
    """The registered viewset classes, in menu order."""
    return tuple(viewset for _order, viewset in sorted(_screens, key=lambda item: item[0]))


# ---- The member's own places in the site's main menu ----------------------------------------

# Each returns (label, address) pairs for the logged-in member of a request: the apps that
# know where a member's own pages are register one (cohorts: "My mentoring").
_member_links: list = []
REQUEST_ATTRIBUTE = "_member_menu_links"


def member_menu_register(links) -> None:
    """Add ``links(request) -> [(label, address), ...]`` to the main menu's member part."""
    if links not in _member_links:
        _member_links.append(links)


def member_menu_links(request) -> list[tuple[str, str]]:
    """The member's own links for the main menu, worked out once per request (the header
    shows the menu twice: wide screens and the phone's menu); none for a visitor."""
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    if found is None:
        user = getattr(request, "user", None)
        found = []
        if user is not None and user.is_authenticated:
            found = [link for links in _member_links for link in links(request)]
        setattr(request, REQUEST_ATTRIBUTE, found)
    return found
