"""The editors' dashboard panel: the tasks they come to the admin for (edit the overview,
add news or a resource, copy the newest cohort to next year) beside the program's season,
each offered only to a user who may do it. Coordinators, who hold no page permission, see
none of it: their panels come from the apps that own their screens."""

from dataclasses import dataclass

from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Site
from wagtail.permissions import page_permission_policy

from cohorts.program.models import CohortPage
from cohorts.program.selectors import Season, program_season
from cohorts.program.services.cohorts import cohort_copy_allowed
from home.models import HomePage
from resources.models import NewsIndexPage, NewsPage, ResourceIndexPage, ResourcePage

PAGE_ACTIONS = ["add", "change", "publish"]


@dataclass(frozen=True)
class EditorTask:
    label: str
    url: str
    help: str


def editor_panel_shown(*, user) -> bool:
    """Whoever may add, edit or publish some page sees the editors' panel."""
    return page_permission_policy.user_has_any_permission(user, PAGE_ACTIONS)


def editor_tasks(*, user) -> list[EditorTask]:
    """The editors' everyday tasks that ``user`` may do, with the admin address of each."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else HomePage.objects.first()
    tasks = []
    if home is not None and home.permissions_for_user(user).can_edit():
        url = reverse("wagtailadmin_pages:edit", args=[home.pk])
        tasks.append(EditorTask("Edit the overview", url, "The home page's text and blocks."))
    for index_model, model, label, help_text in (
        (
            NewsIndexPage,
            NewsPage,
            "Add news",
            "The newest appear on the overview and in the feed.",
        ),
        (
            ResourceIndexPage,
            ResourcePage,
            "Add a resource",
            "A guide, template, document or link.",
        ),
    ):
        if url := _add_url(index_model=index_model, model=model, home=home, user=user):
            tasks.append(EditorTask(label, url, help_text))
    if copy := _copy_task(user=user):
        tasks.append(copy)
    return tasks


def _add_url(*, index_model, model, home: Page | None, user) -> str:
    indexes = index_model.objects.descendant_of(home) if home else index_model.objects.all()
    index = indexes.order_by("path").first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        return ""
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, index.pk])


def _copy_task(*, user) -> EditorTask | None:
    """Copying the newest cohort (draft or live) makes next year's."""
    newest = CohortPage.objects.order_by("-applications_open", "-pk").first()
    if newest is None or not cohort_copy_allowed(cohort=newest, user=user):
        return None
    url = reverse("cohorts_copy_to_next_year", args=[newest.pk])
    help_text = "Next year's draft, with every date and year moved; you check it, then publish."
    return EditorTask(f"Copy the {newest.title} to next year", url, help_text)


class EditorTasksPanel(Component):
    """Dashboard panel: the program's season and the editors' everyday tasks."""

    name = "editor_tasks"
    order = 40
    template_name = "portal/editor_tasks_panel.html"

    def __init__(self, *, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        season: Season | None = program_season()
        return {
            "season": season,
            "season_edit_url": reverse("wagtailadmin_pages:edit", args=[season.cohort.pk])
            if season
            else "",
            "tasks": editor_tasks(user=self.user),
        }
