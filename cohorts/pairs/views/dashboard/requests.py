"""What a pair asks of the mentoring subcommittee from the dashboard: help, and a change of
partner (asked, answered by the partner, or withdrawn)."""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect

from cohorts.pairs.forms import ChangeRequestForm, SupportForm
from cohorts.pairs.models import ChangeRequest, Pair, SupportRequest
from cohorts.pairs.selectors.pairs import OPEN_CHANGE_STATUSES
from cohorts.pairs.services import pairs as pair_services
from cohorts.pairs.views.dashboard.base import (
    UNKNOWN_ACTION,
    PairSide,
    _form_for,
    _press,
    _saved,
    confirmed,
    render_confirm_step,
    render_side,
)

SUPPORT_SENT = "Your message is on its way to {helper}, who will answer you by e-mail."
CHANGE_ASKED = (
    "Your request is sent to the subcommittee. {partner} is asked to agree to a change, "
    "without your reason."
)
CHANGE_CONSENTED = "You agreed to a change of partner. A coordinator will decide and write to you."
CHANGE_DECLINED = "You did not agree to a change of partner. The subcommittee is told."
CHANGE_WITHDRAWN = "Your request for a change of partner is withdrawn."


# ---- Help from the subcommittee -------------------------------------------------------------


def _helper_name(pair: Pair) -> str:
    """Who reads the pair's requests for help: its liaison, or the whole subcommittee."""
    return pair.liaison.display_name if pair.liaison else "the mentoring subcommittee"


def support_section(request, side: PairSide, item_id=None) -> HttpResponse:
    form = _form_for(request, SupportForm)
    send = functools.partial(pair_services.support_request_send, pair=side.pair, user=request.user)
    if _saved(request, form, lambda data: send(message=data["message"])):
        messages.success(request, SUPPORT_SENT.format(helper=_helper_name(side.pair)))
        return redirect(side.url("support"))
    earlier = SupportRequest.objects.filter(pair=side.pair, author=side.user).select_related(
        "answered_by"
    )
    context = {"form": form, "support_requests": earlier, "helper": _helper_name(side.pair)}
    return render_side(request, side, "support.html", context, current="support")


# ---- Change of partner --------------------------------------------------------------------

CHANGE_ANSWERS = {"consent", "decline", "withdraw"}


def change_section(request, side: PairSide, item_id=None) -> HttpResponse:
    """Ask for a change of partner, answer the partner's request, or withdraw one's own."""
    action = request.POST.get("action", "ask") if request.method == "POST" else ""
    if action in CHANGE_ANSWERS:
        return _change_answer(request, side, action)
    if action not in ("", "ask"):
        return HttpResponseBadRequest(UNKNOWN_ACTION)
    if request.method == "POST" and not side.shares_open:
        # Nobody left to ask for consent: the page says why instead of the form.
        messages.error(request, side.partner_closed_reasons["change"])
        return redirect(side.url("change"))
    form = _form_for(request, ChangeRequestForm)
    if request.method == "POST" and form.is_valid() and not confirmed(request):
        return _confirm_change(request, side, form.cleaned_data["message"])
    create = functools.partial(
        pair_services.change_request_create, pair=side.pair, user=request.user
    )
    if _saved(request, form, lambda data: create(reason=data["message"])):
        messages.success(request, CHANGE_ASKED.format(partner=side.partner.display_name))
        return redirect(side.url("change"))
    return render_side(request, side, "change.html", _change_context(side, form), current="change")


def _confirm_change(request, side: PairSide, reason: str) -> HttpResponse:
    partner = side.partner.display_name
    return render_confirm_step(
        request,
        side,
        current="change",
        heading="Ask for a change of partner?",
        lede="The subcommittee reads your reason:",
        quote=reason,
        note=(
            f"{partner} is told at once that you asked for a change, without your reason, "
            "and is asked whether they agree. You can withdraw your request until a "
            "coordinator decides."
        ),
        action=side.urls["change"],
        hidden=[("action", "ask"), ("message", reason)],
        button="Send the request",
        cancel_url=side.url("change"),
        cancel_label="Not now",
        crumb_url=side.url("change"),
        crumb_label="Change of partner",
    )


def _change_context(side: PairSide, form) -> dict:
    changes = list(ChangeRequest.objects.filter(pair=side.pair))
    open_change = next((c for c in changes if c.status in OPEN_CHANGE_STATUSES), None)
    return {
        "form": form,
        "open_change": open_change,
        "asked_by_me": bool(open_change and open_change.requested_by_id == side.user.pk),
        "history": [change for change in changes if change is not open_change],
    }


def _change_answer(request, side: PairSide, action: str) -> HttpResponse:
    posted = request.POST.get("change", "")
    change_id = int(posted) if posted.isascii() and posted.isdigit() else 0
    change = ChangeRequest.objects.filter(pk=change_id, pair=side.pair).first()
    if change is None:
        raise Http404
    mine = {"pair": side.pair, "user": request.user, "change_id": change.pk}
    if action == "withdraw":
        _press(request, lambda: pair_services.change_request_withdraw(**mine), CHANGE_WITHDRAWN)
    else:
        consent = action == "consent"
        _press(
            request,
            lambda: pair_services.change_request_consent(**mine, consent=consent),
            CHANGE_CONSENTED if consent else CHANGE_DECLINED,
        )
    return redirect(side.url("change"))
