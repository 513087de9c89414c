"""What every page of a pair on the dashboard shares: the pair seen from one side, the route
that guards each page, rendering, and posting forms and buttons to the services."""

import functools
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from cohorts.choices import PairStatus
from cohorts.pairs.errors import PARTNER_CLOSED_CHANGE, PARTNER_CLOSED_NOTES, PARTNER_CLOSED_RECORD
from cohorts.pairs.forms import add_service_error
from cohorts.pairs.models import Pair
from cohorts.pairs.selectors.pairs import (
    AfterEndChoice,
    pair_after_end_of,
    pair_closed_message,
    pair_for_member,
    pair_open_to,
    pair_partner_application,
    pair_role,
    pair_shared_open_to,
)
from cohorts.program.models import Application

TEMPLATES = "cohorts/dashboard/"
READ_METHODS = ("GET", "HEAD")
UNKNOWN_ACTION = "Unknown action."


# ---- One pair, seen from one side ----------------------------------------------------------


@dataclass
class PairSide:
    """A pair, running or ended, seen by one of its two members, with the addresses of its
    pages."""

    page: object  # the PairDashboardPage serving it
    pair: Pair
    user: object
    base_url: str  # the dashboard page's own address

    @cached_property
    def role(self) -> str:
        return pair_role(pair=self.pair, user=self.user)

    @cached_property
    def partner_application(self) -> Application:
        return pair_partner_application(pair=self.pair, user=self.user)

    @property
    def partner(self):
        return self.partner_application.applicant

    @cached_property
    def is_open(self) -> bool:
        """Whether the member may still add to the pair (see ``pair_open_to``); when not,
        its pages are theirs to read."""
        return pair_open_to(pair=self.pair, user=self.user)

    @cached_property
    def shares_open(self) -> bool:
        """Whether the member may still add to what their partner sees (the shared record,
        a shared note, a change of partner): the pair is open to both of them (see
        ``pair_shared_open_to``)."""
        return pair_shared_open_to(pair=self.pair, user=self.user)

    @property
    def partner_closed_reasons(self) -> dict[str, str]:
        """Why, once the partner closed their side, the shared record (``record``), sharing
        a note (``notes``) and a change of partner (``change``) are no longer offered."""
        partner = self.partner.display_name
        return {
            "record": PARTNER_CLOSED_RECORD.format(partner=partner),
            "notes": PARTNER_CLOSED_NOTES.format(partner=partner),
            "change": PARTNER_CLOSED_CHANGE.format(partner=partner),
        }

    @cached_property
    def my_choice(self) -> AfterEndChoice:
        """The member's own choice after the formal end."""
        return pair_after_end_of(pair=self.pair, role=self.role)

    @cached_property
    def partner_choice(self) -> AfterEndChoice:
        """The partner's choice after the formal end."""
        return pair_after_end_of(
            pair=self.pair, role="mentee" if self.role == "mentor" else "mentor"
        )

    @property
    def closed_message(self) -> str:
        """Why the pair refuses a change once it is closed to the member (``is_open``)."""
        return pair_closed_message(pair=self.pair)

    @property
    def ended(self) -> bool:
        """The pair has ended for both partners, whatever ended it; its pages speak of it in
        the past. Being closed to the member (``is_open``) is the one read-only rule."""
        return self.pair.status == PairStatus.ENDED

    @property
    def headline(self) -> str:
        if self.partner.erased_at:
            name = "a former participant"
            if self.role == "mentor":
                return f"You mentored {name}"
            return f"{name.capitalize()} mentored you"
        name = self.partner.display_name
        if self.ended:
            return f"You mentored {name}" if self.role == "mentor" else f"{name} mentored you"
        return f"You mentor {name}" if self.role == "mentor" else f"{name} mentors you"

    @cached_property
    def urls(self) -> dict[str, str]:
        """The pair's page (``pair``) and each section that takes no item, by its slug."""
        from cohorts.pairs.views.dashboard.routing import (
            SECTIONS,  # the sections' views are built on this module
        )

        # Keyed by the slug with "_" for "-", so a template reads side.urls.letter_name.
        sections = {
            name.replace("-", "_"): self.url(name)
            for name, takes_item in SECTIONS
            if not takes_item
        }
        return {"pair": self.url(), **sections}

    def item_url(self, section: str, item_id: int) -> str:
        """The page of one item of a section (a contact, a goal, a note)."""
        route = self.page.reverse_subpage("pair_item", args=[self.pair.pk, section, item_id])
        return self.base_url + route

    def url(self, section: str = "", anchor: str = "") -> str:
        if section:
            route = self.page.reverse_subpage("pair_section", args=[self.pair.pk, section])
        else:
            route = self.page.reverse_subpage("pair", args=[self.pair.pk])
        return self.base_url + route + (f"#{anchor}" if anchor else "")


def member_route(view):
    """Wrap a dashboard route: log in first, a 404 page for anything the member may not
    open, and ``Cache-Control: private, no-store`` on every response."""

    @never_cache
    @functools.wraps(view)
    def route(request, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, **kwargs)
        except Http404:
            return render(request, "404.html", status=404)

    return route


def get_side(request, *, page, pair_id: int) -> PairSide:
    """The member's pair ``pair_id`` from their side, published or ended; Http404 unless it
    is theirs."""
    pair = pair_for_member(user=request.user, pair_id=pair_id)
    if pair is None:
        raise Http404
    return PairSide(page=page, pair=pair, user=request.user, base_url=page.get_url(request))


def render_side(
    request, side: PairSide, template: str, context: dict, *, current: str, exact: bool = True
) -> TemplateResponse:
    """Render one of the pair's pages with what every one of them shows; ``current`` names
    the link of the pair's menu it belongs to (``exact`` when it is that very page)."""
    return TemplateResponse(
        request,
        TEMPLATES + template,
        {
            **side.page.get_context(request),
            "side": side,
            "pair": side.pair,
            "partner": side.partner,
            "current": current,
            "current_exact": exact,
            **context,
        },
    )


# ---- Posting: forms and buttons -------------------------------------------------------------


def _submit(form, call, *, field: str | None = None) -> bool:
    """Pass a valid form's cleaned data to ``call`` (a service); a refusal goes onto the form
    and nothing is written. True when the service accepted it."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error, field=field)
        return False
    return True


def _press(request, call, success: str, *, extra_tags: str = "") -> None:
    """A button's service call; its success, or the service's refusal, is the message that
    follows the redirect (``extra_tags`` on both: "in-place" shows them where the page
    opens)."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message, extra_tags=extra_tags)
        return
    messages.success(request, success, extra_tags=extra_tags)


def _form_for(request, form_class, **kwargs):
    """``form_class``, bound to the posted data on a POST."""
    if request.method == "POST":
        return form_class(request.POST, **kwargs)
    return form_class(**kwargs)


def _saved(request, form, call, *, field: str | None = None) -> bool:
    return request.method == "POST" and _submit(form, call, field=field)


CONFIRMED = "confirmed"


def confirmed(request) -> bool:
    """Whether a POST comes from a confirmation page (``render_confirm_step``)."""
    return request.POST.get(CONFIRMED) == "1"


def render_confirm_step(
    request, side: PairSide, *, current: str, hidden: list[tuple[str, str]], **context
) -> TemplateResponse:
    """A page asking to confirm a step before it is taken: ``heading``, ``lede``, ``quote``,
    ``note``, ``action`` (where the form posts), ``hidden`` (the posted values, sent again
    with ``confirmed=1``), ``button``, ``cancel_url``, ``cancel_label``, and ``crumb_url``
    with ``crumb_label`` for the page it came from."""
    context = {"cancel_label": "Go back", "hidden": hidden, **context}
    return render_side(request, side, "confirm.html", context, current=current, exact=False)


def render_confirm(request, side: PairSide, *, current: str, **context) -> TemplateResponse:
    """A page asking to confirm a deletion: ``heading``, ``lede``, ``quote`` (the text to
    delete), ``button`` and ``cancel_url``."""
    return render_side(request, side, "confirm_delete.html", context, current=current, exact=False)


def delete_after_confirm(
    request, side: PairSide, *, call, success: str, back: str, current: str, extra_tags="", **page
) -> HttpResponse:
    """A deletion's own address: a GET asks first (``render_confirm`` with ``page``: heading,
    lede, quote, button); the POST from there calls ``call`` (a service) and goes ``back``
    with ``success`` or the refusal."""
    if request.method == "POST":
        _press(request, call, success, extra_tags=extra_tags)
        return redirect(back)
    return render_confirm(request, side, current=current, cancel_url=back, **page)
