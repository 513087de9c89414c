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
