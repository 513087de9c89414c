from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.menu import mentoring_menu_register
from members.models import AreaOfInterest
from members.selectors import members_pending_count
from members.services.accounts import ACCOUNT_ERASE_ACTION
from members.viewsets.profiles import MemberProfileViewSet
from members.viewsets.roster import MemberRosterViewSet
from members.viewsets.users import UserEraseBulkAction


class AreaOfInterestViewSet(SnippetViewSet):
    """Editors extend the list of areas members choose from."""

    model = AreaOfInterest
    icon = "tag"
    menu_label = "Areas of interest"
    list_display = ["name", "sort_order"]


register_snippet(AreaOfInterestViewSet)
mentoring_menu_register(MemberProfileViewSet, order=50)
mentoring_menu_register(MemberRosterViewSet, order=60)


class PendingMembersPanel(Component):
    """Dashboard panel: how many people wait for a coordinator to verify them."""

    name = "pending_members"
    order = 50
    template_name = "members/coordinator/pending_members_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "count": members_pending_count(),
            "url": reverse("members_member:index") + "?membership_status=pending",
        }


@hooks.register("construct_homepage_panels")
def add_pending_members_panel(request, panels):
    if request.user.has_perm("members.change_memberprofile"):
        panels.append(PendingMembersPanel())


# Replaces the users listing's "Delete" (wagtail.users registers its own at order 0, and the
# later registration of an action type wins), so ticked accounts are erased, not deleted.
hooks.register("register_bulk_action", UserEraseBulkAction, order=1)


@hooks.register("register_log_actions")
def register_account_erase_action(actions):
    actions.register_action(
        ACCOUNT_ERASE_ACTION,
        "Erase account",
        'Account erased: personal data deleted, the account kept as "Former participant"',
    )
