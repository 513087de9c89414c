"""Members' e-mail pages: the choice of optional e-mails (login required), and the pages
behind the two signed links in e-mails, to stop an optional kind and to answer the chair's
check-in (no login: the link's signature says who is asking).

Mail scanners and link previews open every link in an e-mail, so a GET here never changes
anything: each link opens a page whose one button does. Every page is about one person, so
none may be kept by a cache (``never_cache``). The rules live in
``cohorts.reminders.services.reminders`` and ``cohorts.reminders.selectors``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cohorts.choices import OPTIONAL_REMINDERS, CheckInAnswerChoice, ReminderKind
from cohorts.outbox.models import OutboxMessage
from cohorts.pairs.forms import add_service_error
from cohorts.reminders import links
from cohorts.reminders.forms import ESSENTIAL_EMAILS, CheckInForm, ReminderPreferencesForm
from cohorts.reminders.models import CheckInAnswer
from cohorts.reminders.selectors import (
    checkin_answer_for,
    checkin_message_for,
    reminder_help_links,
    reminder_opt_outs_for,
)
from cohorts.reminders.services.reminders import (
    ESSENTIAL_KIND,
    checkin_answer_record,
    reminder_opt_outs_set,
    reminder_unsubscribe,
)

TEMPLATES = "cohorts/reminders/"
PREFERENCES_SAVED = "Your e-mail choices are saved."
# Below the heading "This link is not valid", when nothing more precise is known.
LINK_NOT_VALID = "It may have been cut short when it was copied from the e-mail, or changed."
# A link read with a valid signature but another shape (an older link format) is not valid
# either; signing.BadSignature covers forged, garbled and expired links.
UNREADABLE = (signing.BadSignature, ValueError, KeyError, TypeError)

allowed_methods = require_http_methods(["GET", "HEAD", "POST"])


def _refused(request, reason: str = LINK_NOT_VALID) -> TemplateResponse:
    """The page for a link that cannot be used, with where to go instead."""
    context = {"reason": reason, "links": reminder_help_links()}
    return TemplateResponse(request, TEMPLATES + "link_invalid.html", context, status=400)


# ---- The member's choice --------------------------------------------------------------------


@never_cache
@login_required
@allowed_methods
def preferences(request):
    """The member turns optional e-mails on and off, and sees those that always go."""
    form = ReminderPreferencesForm(
        request.POST if request.method == "POST" else None,
        kinds_off=reminder_opt_outs_for(user=request.user),
    )
    if form.is_bound and form.is_valid():
        try:
            reminder_opt_outs_set(user=request.user, kinds_off=form.kinds_off())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, PREFERENCES_SAVED)
            return redirect("reminder_preferences")
    context = {"form": form, "essential": ESSENTIAL_EMAILS}
    return TemplateResponse(request, TEMPLATES + "preferences.html", context)


# ---- Stop an optional e-mail ------------------------------------------------------------------


@csrf_exempt  # The signed token is the proof; see the docstring.
@never_cache
@allowed_methods
def unsubscribe(request, token):
    """Stop one optional kind for the account the link names: a GET asks, a POST stops it.

    Any POST stops it: the page's own button, and the one-click POST of RFC 8058 (body
    ``List-Unsubscribe=One-Click``) that mail providers send for their unsubscribe button,
    without cookies and so without a CSRF token (https://www.rfc-editor.org/rfc/rfc8058).
    """
    try:
        user_id, kind = links.unsubscribe_read(token)
    except UNREADABLE:
        return _refused(request)
    if kind not in ReminderKind.values:
        return _refused(request)
    context = {"kind_label": ReminderKind(kind).label}
    if kind not in OPTIONAL_REMINDERS:
        return _refused(request, ESSENTIAL_KIND.format(kind=context["kind_label"]))
    if request.method != "POST":
        return TemplateResponse(request, TEMPLATES + "unsubscribe.html", context)
    try:
        reminder_unsubscribe(user_id=user_id, kind=kind)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages))
    return TemplateResponse(request, TEMPLATES + "unsubscribed.html", context)


# ---- Answer the chair's check-in --------------------------------------------------------------


@never_cache
@allowed_methods
def checkin(request, token):
    """Answer a check-in: the answer chosen in the e-mail, ready to send, and a comment box."""
    try:
        message_id, clicked = links.checkin_read(token)
    except signing.SignatureExpired:
        context = {"links": reminder_help_links(), "days": links.CHECKIN_LINK_DAYS}
        return TemplateResponse(request, TEMPLATES + "checkin_expired.html", context, status=410)
    except UNREADABLE:
        return _refused(request)
    message = checkin_message_for(message_id=message_id)
    if message is None or clicked not in CheckInAnswerChoice.values:
        return _refused(request)
    # A GET only shows the form and records nothing: mail scanners and link previews open
    # all three answer links of every check-in, and must not answer for the member.
    form = CheckInForm(
        request.POST if request.method == "POST" else None, initial={"answer": clicked}
    )
    if form.is_bound and form.is_valid():
        record = _record(form, message)
        if record is not None:
            return _thanks(request, record, comment=form.cleaned_data["comment"])
    context = {
        "form": form,
        "message": message,
        "current": checkin_answer_for(message=message),
    }
    return TemplateResponse(request, TEMPLATES + "checkin.html", context)


def _record(form: CheckInForm, message: OutboxMessage) -> CheckInAnswer | None:
    """The answer recorded by the service, or None with its refusal on the form."""
    try:
        return checkin_answer_record(message_id=message.pk, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return None


def _thanks(request, record: CheckInAnswer, *, comment: str) -> TemplateResponse:
    context = {
        "record": record,
        "need_help": record.answer == CheckInAnswerChoice.NEED_HELP,
        "comment": comment,
        "links": reminder_help_links(pair=record.pair),
    }
    return TemplateResponse(request, TEMPLATES + "checkin_thanks.html", context)
