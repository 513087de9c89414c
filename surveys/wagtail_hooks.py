"""Admin hooks for surveys: "Copy to another cohort" on survey pages (Wagtail's own "Copy"
leads there too), and survey responses kept out of the admin's Forms for everyone."""

from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from core.page_actions import page_action_register
from surveys.models import SurveyPage
from surveys.views.admin import survey_copy_view


class CopyToCohortMenuItem(PageMenuItem):
    """Shown on survey pages to users who may copy them."""

    label = "Copy to another cohort"
    icon_name = "copy"
    url_name = "surveys_copy_to_cohort"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, SurveyPage) and (
            self.page.permissions_for_user(user).can_copy()
        )


page_action_register(
    menu_item_class=CopyToCohortMenuItem,
    route="surveys/<int:page_id>/copy-to-cohort/",
    view=survey_copy_view,
    name="surveys_copy_to_cohort",
)


# Wagtail's copy would keep last year's dates and allow a second survey of a kind in a
# cohort; the survey's own action takes the target's dates and checks the kind.
# https://docs.wagtail.org/en/stable/reference/hooks.html#before-copy-page
@hooks.register("before_copy_page")
def copy_surveys_with_their_own_action(request, page):
    if issubclass(page.specific_class or object, SurveyPage):
        return redirect("surveys_copy_to_cohort", page.pk)
    return None


# The survey results screen (surveys/views/results.py) is the only way to read the answers:
# it holds back a question with too few answers to stay anonymous. Wagtail's Forms would list
# each response whole, so no user, superusers included, sees a survey there; its listing,
# export and delete views ask this same question (get_forms_for_user) and refuse.
# https://docs.wagtail.org/en/stable/reference/hooks.html#filter-form-submissions-for-user
@hooks.register("filter_form_submissions_for_user")
def survey_responses_never_in_forms(user, editable_forms):
    return editable_forms.not_type(SurveyPage)
