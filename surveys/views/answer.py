"""What a survey page serves: the questions to a participant who may answer, and to everyone
else why not.

Shaped like Wagtail's ``FormMixin.serve``: the person's state, the form, the submission (the
page's ``process_form_submission``, which calls ``surveys.services.survey_answer``), the
render. Visitors who are not logged in go to log in and come back. A valid answer redirects
back to the page (POST, redirect, GET), which then thanks the person and says when they
answered; invalid input re-renders the questions with the messages next to them and writes
nothing. A POST that cannot be answered (not open, closed, not for this person) is refused
with 403 and the same explanation as the page; a second answer gets the "already answered"
page. Every response is about one person, so none may be kept by a shared cache.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from surveys.choices import AUDIENCE_ROLES, RespondentRole, SurveyAudience, SurveyWindow
from surveys.selectors.surveys import SurveyState, survey_state

NOT_OPEN_TITLE = "This survey is not open yet"
NOT_OPEN = "It opens on {opens:%B %-d, %Y} and stays open until {closes:%B %-d, %Y}."
NOT_SCHEDULED = "Its dates are not set yet."
CLOSED_TITLE = "This survey is closed"
CLOSED = "The last day to answer was {closes:%B %-d, %Y}."
NOT_FOR_YOU_TITLE = "This survey is not for you"
NOT_A_PARTICIPANT = (
    "It is for the {audience} of the {cohort}: the members in its mentoring pairs. You are "
    "not in a pair of this cohort."
)
OTHER_ROLE = "It is for the {audience} of the {cohort}, and you take part as a {role}."
AUDIENCE_WORDS = {
    SurveyAudience.MENTORS: "mentors",
    SurveyAudience.MENTEES: "mentees",
    SurveyAudience.BOTH: "mentors and mentees",
}


@never_cache
def survey_page_serve(request, *, page) -> HttpResponse:
    """Serve ``page`` (a SurveyPage) to the logged-in member; others go to log in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = survey_state(page=page, user=request.user)
    if state.participation is not None:
        return page.render_landing_page(request, participation=state.participation)
    if not state.may_answer:
        status = 403 if request.method == "POST" else 200
        return render_unavailable(request, page=page, state=state, status=status)
    if request.method == "POST":
        return process_answer(request, page=page, state=state)
    form = page.get_form(page=page, user=request.user, roles=state.roles)
    return render_form(request, page=page, state=state, form=form)


def process_answer(request, *, page, state: SurveyState) -> HttpResponse:
    form = page.get_form(request.POST, page=page, user=request.user, roles=state.roles)
    if not form.is_valid():
        return render_form(request, page=page, state=state, form=form)
    try:
        page.process_form_submission(form)
    except ValidationError as error:
        return render_refused(request, page=page, form=form, error=error)
    return redirect(page.get_url(request))


def render_refused(request, *, page, form, error: ValidationError) -> HttpResponse:
    """The service refused the answer: the state changed since it was read (a second tab
    answered, the survey closed), so the page shows the state as it now is."""
    state = survey_state(page=page, user=request.user)
    if state.participation is not None:
        return page.render_landing_page(request, participation=state.participation)
    if not state.may_answer:
        return render_unavailable(request, page=page, state=state, status=403)
    form.add_error(None, error)
    return render_form(request, page=page, state=state, form=form)


def render_form(request, *, page, state: SurveyState, form) -> TemplateResponse:
    context = {**page.get_context(request), "state": state, "form": form}
    return TemplateResponse(request, page.get_template(request), context)


def render_unavailable(request, *, page, state: SurveyState, status: int) -> TemplateResponse:
    """Why the person cannot answer: the survey is not for them, not open yet, or closed."""
    title, reason = unavailable_reason(page=page, state=state)
    context = {**page.get_context(request), "state": state, "title": title, "reason": reason}
    return TemplateResponse(
        request, "surveys/survey_page_unavailable.html", context, status=status
    )


def unavailable_reason(*, page, state: SurveyState) -> tuple[str, str]:
    """(heading, sentence) for a person who cannot answer; the audience comes first, since
    someone the survey is not for need not come back when it opens."""
    cohort = page.cohort
    if not state.roles:
        words = {"audience": AUDIENCE_WORDS[page.audience], "cohort": cohort.title}
        if not state.participant:
            return NOT_FOR_YOU_TITLE, NOT_A_PARTICIPANT.format(**words)
        other = [r for r in RespondentRole if r not in AUDIENCE_ROLES[page.audience]]
        return NOT_FOR_YOU_TITLE, OTHER_ROLE.format(**words, role=other[0].label.lower())
    if state.window == SurveyWindow.CLOSED:
        return CLOSED_TITLE, CLOSED.format(closes=state.closes)
    if state.opens is None or state.closes is None:
        return NOT_OPEN_TITLE, NOT_SCHEDULED
    return NOT_OPEN_TITLE, NOT_OPEN.format(opens=state.opens, closes=state.closes)
