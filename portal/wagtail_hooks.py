"""The coordinators' Mentoring menu, grouped from the screens each app registered, the
editors' dashboard panel, and the superusers' read-only view of the task worker under
Settings."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from core.menu import mentoring_menu_items
from portal.editor_panel import EditorTasksPanel, editor_panel_shown
from portal.viewsets import FailedTaskViewSet, ScheduleViewSet


class MentoringViewSetGroup(ViewSetGroup):
    """The coordinators' "Mentoring" menu: every program screen sits under it.

    "Pair record views" is the superusers' audit log of who opened a pair's record; its
    permission policy hides it from everyone else.
    """

    menu_label = "Mentoring"
    menu_icon = "group"
    menu_order = 150

    def __init__(self):
        # Every app's hooks module has registered its screens by the time this is built.
        self.items = mentoring_menu_items()
        super().__init__()


@hooks.register("register_admin_viewset")
def register_mentoring_menu():
    return MentoringViewSetGroup()


@hooks.register("register_admin_viewset")
def register_task_worker_screens():
    return [ScheduleViewSet(), FailedTaskViewSet()]


# https://docs.wagtail.org/en/stable/reference/hooks.html#construct-homepage-panels
@hooks.register("construct_homepage_panels")
def add_editor_tasks_panel(request, panels):
    if editor_panel_shown(user=request.user):
        panels.append(EditorTasksPanel(user=request.user))
