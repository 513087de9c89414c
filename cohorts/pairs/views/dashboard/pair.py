"""The member's dashboard and a pair's own page: the partner, progress, the year, the contact
log, the agreement, goals and the choice after the formal end."""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from cohorts.choices import AfterEnd
from cohorts.pairs.forms import (
    AfterEndForm,
    AgreementForm,
    ContactForm,
    GoalForm,
    LetterNameForm,
)
from cohorts.pairs.models import ContactLog, Pair, PairAgreement, PairGoal
from cohorts.pairs.models.relationship import GOALS_MAX
from cohorts.pairs.selectors.letter import letter_for_member
from cohorts.pairs.selectors.pairs import (
    contact_logged_by_partner,
    dashboard_pairs,
    pair_next_steps,
    pair_program_over,
)
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.views.dashboard.base import (
    READ_METHODS,
    UNKNOWN_ACTION,
    PairSide,
    _form_for,
    _press,
    _saved,
    _submit,
    confirmed,
    delete_after_confirm,
    get_side,
    member_route,
    render_confirm_step,
    render_side,
)
from cohorts.pairs.views.dashboard.needs import needs_now
from cohorts.pairs.views.dashboard.progress import progress_summary
from cohorts.program.models import CohortPage
from cohorts.program.selectors import cohort_events, cohort_stage
from core.formatting import day_display
from members.choices import ContactMethod

CONTACT_METHOD_LABELS = dict(ContactMethod.choices)

CONTACT_ADDED = "Your contact on {date} is in the log."
CONTACT_SAVED = "Your changes to the contact are saved."
CONTACT_DELETED = "The contact is deleted from the log."
AGREEMENT_SAVED = "Your agreement is saved."
GOAL_ADDED = "The goal is added."
GOAL_DONE = "The goal is marked done. Well done!"
GOAL_NOT_DONE = "The goal is marked not done."
GOAL_DELETED = "The goal is deleted."
CONTINUING = (
    "You are continuing informally. This page stays open to you, outside the program's "
    "reminders, except the end-of-program survey, until you answer it."
)
SIDE_CLOSED = (
    "You closed your side of the pair, and {partner} is told by e-mail. Thank you for taking "
    "part in the mentoring program: your pair's record, your notes and any letter of service "
    "stay here for you to read."
)
PAIR_CLOSED = (
    "You closed your side of the pair, as {partner} did: the pair has ended. Thank you for "
    "taking part in the mentoring program: your pair's record, your notes and any letter of "
    "service stay here for you to read."
)
LETTER_NAMED = "Your name will appear in your mentor's letter of service."
LETTER_UNNAMED = "Your name is left out of your mentor's letter of service."
CONTACT_TWICE = (
    "{partner} logged a contact on {date} already: {minutes} minutes, {method}. Is it the "
    "same one? Each contact counts once, whoever logs it."
)
# Messages about the contact log show beside it (the page opens there), not at the top.
CONTACT_LOG_ANCHOR = "contact-log"
IN_PLACE = "in-place"


# ---- The dashboard: every pair of the member ------------------------------------------------


@member_route
def dashboard_index(request, *, page) -> HttpResponse:
    """A card per running pair of the member, or what happens next when there is none;
    then the pairs that have ended, whose record the member still reads."""
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    base_url = page.get_url(request) or ""
    sides = [
        PairSide(page=page, pair=pair, user=request.user, base_url=base_url)
        for pair in dashboard_pairs(user=request.user)
    ]
    running = [side for side in sides if not side.ended]
    ended = [side for side in sides if side.ended]
    cards = [_pair_card(side) for side in running]
    progress = {card["side"].pair.pk: card["progress"].progress for card in cards}
    context = {
        **page.get_context(request),
        "cards": cards,
        "ended_sides": ended,
        "needs": needs_now(running, progress=progress, ended=ended),
    }
    if not running:
        context.update(_without_a_pair())
    return TemplateResponse(request, page.get_template(request), context)


def _pair_card(side: PairSide) -> dict:
    """What a pair's card on the dashboard shows: who, where the year is, the progress."""
    return {
        "side": side,
        "url": side.url(),  # only the pair's page: side.urls reverses every section's
        "stage": cohort_stage(cohort=side.pair.cohort),
        "progress": progress_summary(pair=side.pair),
        "closed_note": _closed_note(side),
    }


def _closed_note(side: PairSide) -> str:
    """Where a running pair stands once either partner closed their side, for its card; ""
    while both keep it open. An ended pair is listed apart (``ended_sides``)."""
    if side.my_choice.closed:
        return "You closed your side: yours to read"
    if side.partner_choice.closed:
        return f"{side.partner.display_name} closed their side"
    return ""


def _without_a_pair() -> dict:
    """The newest cohort and where it stands, for a member with no pair yet."""
    cohort = CohortPage.objects.live().order_by("-formal_start").first()
    return {"cohort": cohort, "cohort_stage": cohort_stage(cohort=cohort) if cohort else None}


# ---- The pair's page ----------------------------------------------------------------------


@member_route
def pair_detail(request, *, page, pair_id: int) -> HttpResponse:
    side = get_side(request, page=page, pair_id=pair_id)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    return render_pair(request, side)


def render_pair(request, side: PairSide, **bound_forms) -> TemplateResponse:
    """The pair's page; pass a bound ``contact_form``, ``agreement_form``, ``goal_form`` or
    ``end_form`` to show its errors."""
    pair = side.pair
    goals = list(PairGoal.objects.filter(pair=pair))
    agreement = PairAgreement.objects.filter(pair=pair).first()
    progress = progress_summary(pair=pair)
    context = {
        "contacts": ContactLog.objects.filter(pair=pair),
        "contact_messages": _in_place_messages(request),
        "goals": goals,
        "goals_max": GOALS_MAX,
        "agreement": agreement,
        "agreement_methods": _method_labels(agreement.methods if agreement else []),
        "progress": progress,
        "needs": (
            needs_now([], ended=[side])
            if side.ended
            else needs_now([side], progress={pair.pk: progress.progress})
        ),
        "letter": letter_for_member(user=side.user, pair=pair),
        **_partner_context(side),
        **_year_context(pair),
        **_pair_forms(side, goals=goals, agreement=agreement),
        **bound_forms,
    }
    return render_side(request, side, "pair.html", context, current="pair")


def _in_place_messages(request) -> list:
    """The messages that show beside the contact log rather than at the top of the page."""
    return [
        message
        for message in messages.get_messages(request)
        if IN_PLACE in message.extra_tags.split()
    ]


def _say_in_place(request, text: str) -> None:
    messages.success(request, text, extra_tags=IN_PLACE)


def _method_labels(methods: list[str]) -> list[str]:
    return [CONTACT_METHOD_LABELS.get(method, method) for method in methods]


def _partner_context(side: PairSide) -> dict:
    """What the partner told the program about themselves; never what they told only the
    subcommittee (identity preferences, people to avoid)."""
    application = side.partner_application
    profile = getattr(side.partner, "profile", None)
    methods = application.contact_methods or (profile.contact_methods if profile else [])
    return {
        "partner_profile": profile,
        "partner_time_zone": application.time_zone or (profile.time_zone if profile else ""),
        "partner_methods": _method_labels(methods),
        "partner_words": application.goals if side.role == "mentor" else application.offer,
    }


def _year_context(pair: Pair) -> dict:
    today = timezone.localdate()
    cohort = pair.cohort
    return {
        "stage": cohort_stage(cohort=cohort),
        "next_steps": pair_next_steps(pair=pair, today=today),
        "timeline": [(event, event.last_day < today) for event in cohort_events(cohort=cohort)],
    }


def _pair_forms(side: PairSide, *, goals: list, agreement) -> dict:
    """The forms of the pair's page: none that adds to the record once it is closed to the
    member, or to their partner; the choice after the end while theirs to make; the
    mentee's letter choice."""
    pair, today = side.pair, timezone.localdate()
    letter_name_form = (
        LetterNameForm(initial={"named": "yes" if pair.mentee_named_in_letter else "no"})
        if side.role == "mentee"
        else None
    )
    if not side.is_open:
        return {"letter_name_form": letter_name_form}
    end_form = (
        AfterEndForm(initial={"choice": side.my_choice.choice or None})
        if pair_program_over(pair=pair, today=today)
        else None
    )
    forms = {"end_form": end_form, "letter_name_form": letter_name_form}
    if not side.shares_open:
        # The partner closed their side: the shared record stays as they last saw it.
        return forms
    in_period = pair.cohort.formal_start <= today <= pair.cohort.formal_end
    agreed = {"frequency": agreement.frequency, "methods": agreement.methods} if agreement else {}
    return {
        "contact_form": ContactForm(
            cohort=pair.cohort, initial={"date": today} if in_period else {}
        ),
        "agreement_form": AgreementForm(initial=agreed),
        "goal_form": GoalForm() if len(goals) < GOALS_MAX else None,
        **forms,
    }


def _pair_page_post(request, side: PairSide, *, form, name: str, call, success, anchor: str):
    """A form on the pair's page: on success a message and back to the page at ``anchor``;
    otherwise the page again, with ``form`` (as ``name``) showing its errors."""
    if request.method != "POST":
        return redirect(side.url(anchor=anchor))
    if not _submit(form, call):
        return render_pair(request, side, **{name: form})
    messages.success(request, success(form.cleaned_data) if callable(success) else success)
    return redirect(side.url(anchor=anchor))


# ---- Contacts -----------------------------------------------------------------------------


def contacts_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """Record a contact from the pair's page; the confirmation shows beside the contact log,
    where the page opens. A contact the partner logged already (same day, way and length)
    is confirmed first, so that one meeting is not counted twice."""
    if request.method != "POST":
        return redirect(side.url(anchor=CONTACT_LOG_ANCHOR))
    form = ContactForm(request.POST, cohort=side.pair.cohort)
    if form.is_valid() and not confirmed(request):
        twin = contact_logged_by_partner(
            pair=side.pair,
            user=request.user,
            **{name: form.cleaned_data[name] for name in ("date", "method", "minutes")},
        )
        if twin is not None:
            return _confirm_twice(request, side, form, twin)
    if not _submit(
        form, lambda data: pair_services.contact_add(pair=side.pair, user=request.user, **data)
    ):
        return render_pair(request, side, contact_form=form)
    _say_in_place(request, CONTACT_ADDED.format(date=day_display(form.cleaned_data["date"])))
    return redirect(side.url(anchor=CONTACT_LOG_ANCHOR))


def _confirm_twice(request, side: PairSide, form, twin: ContactLog) -> HttpResponse:
    """Ask whether the contact is the one the partner logged, before counting it again."""
    return render_confirm_step(
        request,
        side,
        current="pair",
        heading="Already logged by your partner?",
        lede=CONTACT_TWICE.format(
            partner=side.partner.display_name,
            date=day_display(twin.date),
            minutes=twin.minutes,
            method=twin.get_method_display().lower(),
        ),
        quote=twin.summary,
        note="If you met twice that day, add yours too.",
        action=side.urls["contacts"],
        hidden=[(name, form.data.get(name, "")) for name in ContactForm.base_fields],
        button="It was another contact: add mine",
        cancel_url=side.url(anchor=CONTACT_LOG_ANCHOR),
        cancel_label="It is the same one: do not add it",
    )


def _own_contact(side: PairSide, contact_id: int) -> ContactLog:
    """A contact of this pair that the member recorded: only its author changes it."""
    contact = ContactLog.objects.filter(pk=contact_id, pair=side.pair, author=side.user).first()
    if contact is None:
        raise Http404
    return contact


def contact_edit_section(request, side: PairSide, item_id: int) -> HttpResponse:
    contact = _own_contact(side, item_id)
    initial = {name: getattr(contact, name) for name in ContactForm.base_fields}
    form = _form_for(request, ContactForm, cohort=side.pair.cohort, initial=initial)
    update = functools.partial(
        pair_services.contact_update, pair=side.pair, user=request.user, contact_id=contact.pk
    )
    if _saved(request, form, lambda data: update(**data)):
        _say_in_place(request, CONTACT_SAVED)
        return redirect(side.url(anchor=CONTACT_LOG_ANCHOR))
    context = {"form": form, "contact": contact}
    return render_side(request, side, "contact_edit.html", context, current="pair", exact=False)


def contact_delete_section(request, side: PairSide, item_id: int) -> HttpResponse:
    contact = _own_contact(side, item_id)
    return delete_after_confirm(
        request,
        side,
        call=lambda: pair_services.contact_delete(
            pair=side.pair, user=request.user, contact_id=contact.pk
        ),
        success=CONTACT_DELETED,
        back=side.url(anchor=CONTACT_LOG_ANCHOR),
        current="pair",
        extra_tags=IN_PLACE,
        heading="Delete this contact?",
        lede=(
            f"{day_display(contact.date)}: {contact.minutes} minutes, "
            f"{contact.get_method_display()}."
        ),
        quote=contact.summary,
        button="Delete the contact",
    )


# ---- Agreement and goals ------------------------------------------------------------------


def agreement_section(request, side: PairSide, item_id=None) -> HttpResponse:
    return _pair_page_post(
        request,
        side,
        form=AgreementForm(request.POST),
        name="agreement_form",
        call=lambda data: pair_services.agreement_save(pair=side.pair, user=request.user, **data),
        success=AGREEMENT_SAVED,
        anchor="agreement",
    )


def goals_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """Add a goal; a goal's own buttons post to ``goal_section``."""
    return _pair_page_post(
        request,
        side,
        form=GoalForm(request.POST),
        name="goal_form",
        call=lambda data: pair_services.goal_add(
            pair=side.pair, user=request.user, text=data["text"]
        ),
        success=GOAL_ADDED,
        anchor="goals",
    )


def _goal(side: PairSide, goal_id: int) -> PairGoal:
    goal = PairGoal.objects.filter(pk=goal_id, pair=side.pair).first()
    if goal is None:
        raise Http404
    return goal


def goal_section(request, side: PairSide, item_id: int) -> HttpResponse:
    """Either partner marks a goal done or not done; deleting one asks first
    (``goal_delete_section``)."""
    goal = _goal(side, item_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        mine = {"pair": side.pair, "user": request.user, "goal_id": goal.pk}
        if action == "delete":
            return redirect(side.item_url("goals-delete", goal.pk))
        if action in ("done", "not-done"):
            done = action == "done"
            success = GOAL_DONE if done else GOAL_NOT_DONE
            _press(request, lambda: pair_services.goal_mark(**mine, done=done), success)
        else:
            return HttpResponseBadRequest(UNKNOWN_ACTION)
    return redirect(side.url(anchor="goals"))


def goal_delete_section(request, side: PairSide, item_id: int) -> HttpResponse:
    """Delete a goal, once confirmed: either partner may."""
    goal = _goal(side, item_id)
    return delete_after_confirm(
        request,
        side,
        call=lambda: pair_services.goal_delete(pair=side.pair, user=request.user, goal_id=goal.pk),
        success=GOAL_DELETED,
        back=side.url(anchor="goals"),
        current="pair",
        heading="Delete this goal?",
        lede=f"The goal is deleted for you and {side.partner.display_name}:",
        quote=goal.text,
        button="Delete the goal",
    )


# ---- After the formal end -----------------------------------------------------------------


def end_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """After the formal end, the member's own choice: continue informally, or close their
    side once they confirm it on a page of its own (it works without JavaScript)."""
    if request.method != "POST":
        return redirect(side.url(anchor="after-end"))
    form = AfterEndForm(request.POST)
    closing = form.is_valid() and form.cleaned_data["choice"] == AfterEnd.CLOSE
    # Confirm only what the service would accept: an open side, once the formal end passed.
    may_close = side.is_open and pair_program_over(pair=side.pair)
    if closing and may_close and not form.cleaned_data["confirm"]:
        return _confirm_close(request, side)
    choose = functools.partial(
        pair_services.pair_after_end_choose, pair=side.pair, user=request.user
    )
    if not _submit(form, lambda data: choose(choice=data["choice"]), field="choice"):
        if not side.is_open:
            for message in form.errors.get("choice", []):
                messages.error(request, message)
            return redirect(side.url())
        return render_pair(request, side, end_form=form)
    if closing:
        # Back to the top of the pair's page, where the notice says what closing leaves.
        done = PAIR_CLOSED if side.partner_choice.closed else SIDE_CLOSED
        messages.success(request, done.format(partner=side.partner.display_name))
        return redirect(side.url())
    messages.success(request, CONTINUING)
    return redirect(side.url(anchor="after-end"))


def _confirm_close(request, side: PairSide) -> TemplateResponse:
    context = {
        "partner_closed": side.partner_choice.closed,
        "letter": letter_for_member(user=side.user, pair=side.pair),
    }
    return render_side(request, side, "confirm_close.html", context, current="pair", exact=False)


def letter_name_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """The mentee chooses whether their name appears in the mentor's letter of service."""
    if request.method != "POST":
        return redirect(side.url(anchor="letter-name"))
    form = LetterNameForm(request.POST)
    name_set = functools.partial(
        pair_services.pair_letter_name_set, pair=side.pair, user=request.user
    )
    if not _submit(form, lambda data: name_set(named=data["named"]), field="named"):
        return render_pair(request, side, letter_name_form=form)
    named = form.cleaned_data["named"]
    messages.success(request, LETTER_NAMED if named else LETTER_UNNAMED)
    return redirect(side.url(anchor="letter-name"))
