"""What an application page serves: the member's own application to its cohort.

Shaped like Wagtail's ``FormMixin.serve``: small steps (the page's state, the form, the
action, the render) that a subclass-free caller can follow. Every response is about one
member, so none may be kept by a shared cache (``never_cache`` marks them
``private, no-store``). Each POST names its action with the button pressed
(``action=save_draft|submit|withdraw``); a valid one redirects back with a message (POST,
redirect, GET), an invalid one re-renders with the messages and writes nothing. The rules
themselves live in ``cohorts.program.services.applications``.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from cohorts.choices import ApplicationStatus, Stage
from cohorts.program.forms import ApplicationForm, WithdrawForm, commitment_sentence
from cohorts.program.models import Application
from cohorts.program.selectors import (
    StageInfo,
    application_for_member,
    cohort_stage,
    membership_lapses_before_start,
)
from cohorts.program.services.applications import (
    ApplicationAnswers,
    application_is_editable,
    application_is_withdrawable,
    application_save_draft,
    application_submit,
    application_withdraw,
)
from members.choices import ContactMethod
from members.selectors import Eligibility, member_eligibility, profile_for
from members.views import membership_state

DRAFT_SAVED = "Your draft is saved. It is not submitted yet: submit it by {date:%B %-d, %Y}."
SUBMITTED = "Your application is submitted. A confirmation is on its way to {email}."
CHANGES_SAVED = "Your changes are saved. Your application stays submitted."
WITHDRAWN = "Your application is withdrawn."
ACTIONS = {"save_draft", "submit", "withdraw"}


@dataclass
class ApplicationState:
    """Everything the page decides on: where the cohort is, the member and their application."""

    cohort: object
    stage: StageInfo
    eligibility: Eligibility
    application: Application | None
    editing: bool

    @property
    def is_open(self) -> bool:
        return self.stage.stage == Stage.APPLICATIONS_OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.stage.stage == Stage.UPCOMING

    @property
    def shows_form(self) -> bool:
        """The form shows while open, to an eligible member, unless the application is
        submitted (then only when asked to edit) or decided."""
        if not (self.is_open and self.eligibility.allowed):
            return False
        if not application_is_editable(application=self.application):
            return False
        submitted = self.application and self.application.status == ApplicationStatus.SUBMITTED
        return self.editing or not submitted

    @property
    def can_withdraw(self) -> bool:
        return self.is_open and application_is_withdrawable(application=self.application)


@never_cache
def application_page_serve(request, *, page) -> HttpResponse:
    """Serve ``page`` (an ApplicationPage) to the logged-in member; others go to log in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = get_state(request, page=page)
    if request.method == "POST":
        return process_action(request, page=page, state=state)
    return render_page(request, page=page, state=state)


def get_state(request, *, page) -> ApplicationState:
    cohort = page.cohort
    return ApplicationState(
        cohort=cohort,
        stage=cohort_stage(cohort=cohort),
        eligibility=member_eligibility(user=request.user),
        application=application_for_member(cohort=cohort, user=request.user),
        editing=request.GET.get("edit") == "1",
    )


def get_form(request, *, page, state: ApplicationState) -> ApplicationForm:
    """The application form, bound on POST, else filled from the application or profile."""
    kwargs = {"commitment": commitment_sentence(page=page, cohort=state.cohort)}
    if state.application is not None:
        kwargs["application"] = state.application
    else:
        kwargs["profile"] = profile_for(user=request.user)
    data = request.POST if request.method == "POST" else None
    return ApplicationForm(data, **kwargs)


def process_action(request, *, page, state: ApplicationState) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action.")
    if action == "withdraw":
        return process_withdraw(request, page=page, state=state)
    form = get_form(request, page=page, state=state)
    if not form.is_valid():
        return render_page(request, page=page, state=state, form=form)
    service = application_submit if action == "submit" else application_save_draft
    try:
        application = service(
            cohort=state.cohort,
            user=request.user,
            answers=ApplicationAnswers(**form.cleaned_data),
            application=_application_the_form_edited(request, state),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render_page(request, page=page, state=state, form=form)
    messages.success(request, _success_message(request, action, state, application))
    return redirect(page.get_url(request))


def process_withdraw(request, *, page, state: ApplicationState) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            application_withdraw(
                cohort=state.cohort, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_page(request, page=page, state=state, withdraw_form=form)
    messages.success(request, WITHDRAWN)
    return redirect(page.get_url(request))


def render_page(request, *, page, state: ApplicationState, form=None, withdraw_form=None):
    """The page in the member's state; pass bound forms to show their errors."""
    if state.shows_form or form is not None:
        form = form or get_form(request, page=page, state=state)
    profile = profile_for(user=request.user)
    context = {
        **page.get_context(request),
        "state": state,
        "application": state.application,
        "form": form,
        "withdraw_form": withdraw_form or (WithdrawForm() if state.can_withdraw else None),
        "commitment": commitment_sentence(page=page, cohort=state.cohort),
        "membership_state": membership_state(profile, state.eligibility),
        "membership_lapses": (
            membership_lapses_before_start(profile=profile, cohort=state.cohort)
            if state.eligibility.allowed and (state.is_open or state.is_upcoming)
            else None
        ),
        "profile": profile,
        "contact_methods": _contact_method_labels(state.application),
    }
    return TemplateResponse(request, page.get_template(request), context)


def _application_the_form_edited(request, state: ApplicationState) -> Application | None:
    """The application the posted form was editing: the member's own, when the form says so.

    A form opened before the member's application existed posts no id; the services then
    refuse to start a second application instead of overwriting the first.
    """
    posted = request.POST.get("application", "")
    if state.application is not None and posted == str(state.application.pk):
        return state.application
    return None


def _contact_method_labels(application: Application | None) -> list[str]:
    labels = dict(ContactMethod.choices)
    methods = application.contact_methods if application else []
    return [labels.get(method, method) for method in methods]


def _success_message(request, action, state, application) -> str:
    if action == "save_draft":
        return DRAFT_SAVED.format(date=state.cohort.application_deadline)
    previous = state.application.status if state.application else None
    if previous == ApplicationStatus.SUBMITTED:
        return CHANGES_SAVED
    return SUBMITTED.format(email=request.user.email)
