"""Admin hooks for surveys: "Copy to another cohort" on survey pages (Wagtail's own "Copy"
leads there too), and who sees survey responses in the admin's Forms."""

from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from surveys.models import SurveyPage
from surveys.views.admin import survey_copy_view

RESPONSES_PERMISSION = "surveys.view_surveyresponse"


class CopyToCohortMenuItem(PageMenuItem):
    """Shown on survey pages to users who may copy them."""

    label = "Copy to another cohort"
    icon_name = "copy"
    url_name = "surveys_copy_to_cohort"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, SurveyPage) and (
            self.page.permissions_for_user(user).can_copy()
        )


@hooks.register("register_admin_urls")
def register_survey_admin_urls():
    return [
        path(
            "surveys/<int:page_id>/copy-to-cohort/",
            survey_copy_view,
            name="surveys_copy_to_cohort",
        )
    ]


# https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-header-buttons
@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, view_name, next_url=None):
    yield CopyToCohortMenuItem(page=page, priority=35)


# https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-listing-more-buttons
@hooks.register("register_page_listing_more_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield CopyToCohortMenuItem(page=page, priority=25)


# Wagtail's copy would keep last year's dates and allow a second survey of a kind in a
# cohort; the survey's own action takes the target's dates and checks the kind.
# https://docs.wagtail.org/en/stable/reference/hooks.html#before-copy-page
@hooks.register("before_copy_page")
def copy_surveys_with_their_own_action(request, page):
    if issubclass(page.specific_class or object, SurveyPage):
        return redirect("surveys_copy_to_cohort", page.pk)
    return None


# Responses are the program's data: editors build surveys but do not read the answers.
# https://docs.wagtail.org/en/stable/reference/hooks.html#filter-form-submissions-for-user
@hooks.register("filter_form_submissions_for_user")
def survey_responses_for_permitted_users(user, editable_forms):
    if user.has_perm(RESPONSES_PERMISSION):
        return editable_forms
    return editable_forms.not_type(SurveyPage)
