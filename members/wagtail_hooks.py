from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts.matching.views import MatchingViewSet
from cohorts.outbox.viewsets import OutboxViewSet
from cohorts.pairs.viewsets import PairViewLogViewSet, PairViewSet
from cohorts.program.viewsets import ApplicationViewSet
from cohorts.reminders.viewsets import AnnouncementViewSet, CheckInAnswerViewSet
from cohorts.reports.views.reports import ReportsViewSet
from cohorts.reports.views.retention import RetentionViewSet
from members.models import AreaOfInterest
from members.selectors import members_pending_count
from members.viewsets.profiles import MemberProfileViewSet
from members.viewsets.roster import MemberRosterViewSet


class MentoringViewSetGroup(ViewSetGroup):
    """The coordinators' "Mentoring" menu: every program screen sits under it.

    "Pair record views" is the superusers' audit log of who opened a pair's record; its
    permission policy hides it from everyone else.
    """

    menu_label = "Mentoring"
    menu_icon = "group"
    menu_order = 150
    items = (
        ApplicationViewSet,
        MatchingViewSet,
        PairViewSet,
        ReportsViewSet,
        MemberProfileViewSet,
        MemberRosterViewSet,
        AnnouncementViewSet,
        CheckInAnswerViewSet,
        OutboxViewSet,
        RetentionViewSet,
        PairViewLogViewSet,
    )


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
