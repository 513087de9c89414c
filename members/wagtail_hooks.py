from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AreaOfInterest
from .roster_views import MemberRosterViewSet
from .viewsets import MemberProfileViewSet


class MentoringViewSetGroup(ViewSetGroup):
    """The coordinators' "Mentoring" menu: every program screen sits under it."""

    menu_label = "Mentoring"
    menu_icon = "group"
    menu_order = 150
    items = (MemberProfileViewSet, MemberRosterViewSet)


class AreaOfInterestViewSet(SnippetViewSet):
    """Editors extend the list of areas members choose from."""

    model = AreaOfInterest
    icon = "tag"
    menu_label = "Areas of interest"
    list_display = ["name", "sort_order"]


@hooks.register("register_admin_viewset")
def register_mentoring_menu():
    return MentoringViewSetGroup()


register_snippet(AreaOfInterestViewSet)
