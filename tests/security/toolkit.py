"""What the security tests share: the hostile payloads with a marker in each script call, a
checker that finds markup a payload managed to open in a page or an e-mail, POST data built
from a form's current values, the payloads submitted several to a value and the pages and
e-mails that must show them escaped, and the demo site with a client for each of its people.

The payloads are tests/data/hostile-inputs.json (``hostile_inputs_load``), each
``alert(1)`` renamed ``alert(xss<index>x)`` so that a payload that broke out of its text can
be recognised wherever it lands, even cut short. The demo site (``Portal``) is the
``portal`` fixture of tests/security/conftest.py.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.outbox.services import outbox_add, outbox_deliver
from tests.helpers import hostile_inputs_load

# ---- Payloads ------------------------------------------------------------------------------


def marker(index: int) -> str:
    """The text that renames ``alert(1)`` in payload ``index``."""
    return f"xss{index:03d}x"


def _marked(index: int, payload: str) -> str:
    """Payload ``index`` with each of its script calls carrying its marker."""
    call = f"alert({marker(index)})"
    payload = payload.replace("alert(1)", call).replace("alert`1`", f"alert`{marker(index)}`")
    return payload.replace("&#97;&#108;&#101;&#114;&#116;(1)", call)


PAYLOADS: list[str] = [_marked(i, text) for i, text in enumerate(hostile_inputs_load())]
MARKERS: list[str] = [marker(i) for i, text in enumerate(PAYLOADS) if marker(i) in text]
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line whose raw form in HTML can only come from output that was not escaped: it opens a
# tag or holds a double quote (Django and html.escape turn both into entities everywhere).
OPENS_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|\"")


def short(texts) -> str:
    """The first few of ``texts``, each cut short, for an assertion's message."""
    return repr([text if len(text) < 80 else text[:77] + "..." for text in list(texts)[:3]])


def lines(text: str) -> list[str]:
    """The non-empty lines of ``text`` as a page shows them (trimmed, line breaks as <br>)."""
    return [line.strip() for line in LINE_BREAK.split(text) if line.strip()]


def packs(payloads: list[str], max_length: int, separator: str = "\n") -> list[str]:
    """``payloads`` joined into as few values of at most ``max_length`` as they fit, in order;
    a payload longer than that is a value on its own (which the field must refuse)."""
    values, current = [], ""
    for payload in payloads:
        joined = f"{current}{separator}{payload}" if current else payload
        if len(joined) <= max_length:
            current = joined
            continue
        if current:
            values.append(current)
        current = payload
    return [*values, current] if current else values


# ---- Finding markup that got through -------------------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "content",
}
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "link", "portal"}
SCRIPT_TYPES_AS_DATA = {"application/json", "application/ld+json", "text/template"}
SCHEMES = ("javascript:", "vbscript:", "data:")
# What the payloads call or load: found in a script, a handler or an address even when the
# text was cut short before its marker.
CALLS = ("alert(", "alert`", "msgbox(")
FOREIGN_HOSTS = ("//x.invalid", "http://x.invalid", "https://x.invalid")
INVISIBLE = re.compile(r"[\s\x00-\x1f]+")


class _InjectionFinder(HTMLParser):
    """Flags each place where a payload is markup rather than text: a tag or an attribute
    named by one of ``markers``, an event handler, a script URL, an inline style or frame,
    or the inside of a script or style element holding a payload's call, and a link to or
    a script from the payloads' host."""

    def __init__(self, markers):
        super().__init__(convert_charrefs=True)
        self.markers = markers
        self.found: list[str] = []
        self._raw_text_of: str | None = None

    def _has(self, text: str) -> bool:
        return any(mark in text for mark in self.markers)

    def _runs(self, text: str) -> bool:
        """Whether ``text`` (a handler, a URL, a script) holds a payload's call, even cut
        short before its marker."""
        return self._has(text) or any(call in text for call in CALLS)

    def handle_starttag(self, tag, attrs):
        if self._has(tag):
            self.found.append(f"<{tag}> named by a payload")
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")
        if tag in ("script", "style"):
            kind = dict(attrs).get("type", "") or ""
            self._raw_text_of = None if kind.lower() in SCRIPT_TYPES_AS_DATA else tag

    handle_startendtag = handle_starttag

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if self._has(name):
            self.found.append(f"<{tag} {name}=...>: attribute named by a payload")
        squeezed = INVISIBLE.sub("", value).lower()
        if name in URL_ATTRIBUTES and squeezed.startswith(FOREIGN_HOSTS):
            self.found.append(f"<{tag} {name}={value[:60]!r}>: a payload's address")
        if not self._runs(value):
            return
        if name.startswith("on"):
            self.found.append(f"<{tag} {name}={value[:60]!r}>: event handler")
        elif name in URL_ATTRIBUTES and (
            squeezed.startswith(SCHEMES) or "url=javascript" in squeezed
        ):
            self.found.append(f"<{tag} {name}={value[:60]!r}>: script URL")
        elif name in ("srcdoc", "style") or tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag} {name}={value[:60]!r}>")

    def handle_endtag(self, tag):
        if tag == self._raw_text_of:
            self._raw_text_of = None

    def handle_data(self, data):
        if self._raw_text_of and self._runs(data):
            self.found.append(f"<{self._raw_text_of}> holding {data[:80]!r}")


def injections(html: str, markers=MARKERS) -> list[str]:
    """Each place in ``html`` where a payload is markup rather than text."""
    finder = _InjectionFinder(markers)
    finder.feed(html)
    finder.close()
    # A script left open to the end of the page is never handed to handle_data.
    if finder._raw_text_of and finder._runs(finder.rawdata):
        finder.found.append(f"<{finder._raw_text_of}> left open: {finder.rawdata[:80]!r}")
    return finder.found


def raw_leaks(html: str, payloads) -> list[str]:
    """The lines of ``payloads`` that open markup and appear unescaped in ``html``."""
    return [
        line
        for payload in payloads
        for line in lines(payload)
        if OPENS_MARKUP.search(line) and line in html
    ]


def assert_no_markup(html: str, payloads, where: str) -> None:
    """No payload came back as markup in ``html``: nothing unescaped, nothing it opened."""
    leaks = raw_leaks(html, payloads)
    assert not leaks, f"{where}: unescaped {short(leaks)}"
    found = injections(html)
    assert not found, f"{where}: {found[:3]!r}"


def missing_escaped(html: str, payloads) -> list[str]:
    """The lines of ``payloads`` whose escaped form is not in ``html``."""
    return [line for payload in payloads for line in lines(payload) if escape(line) not in html]


def assert_shown_escaped(html: str, payloads, where: str) -> None:
    """Each payload is on the page, escaped: the page shows the field (so the checks above
    looked at something) and shows it as text."""
    missing = missing_escaped(html, payloads)
    assert not missing, f"{where}: {len(missing)} lines not shown, e.g. {short(missing)}"


def html_parts(message) -> list[str]:
    """The HTML alternatives of an e-mail."""
    return [body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"]


# ---- Forms ----------------------------------------------------------------------------------


def form_data(form) -> dict:
    """POST data that resubmits ``form`` with its current (initial) values unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if hasattr(value, "all"):
            value = list(value.all())
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    return data


# ---- Submitting the payloads and reading them back ---------------------------------------

# A field counts as covered when at least this many payloads were stored through it (the
# rest hold control characters or are longer than the field allows).
MOST = 90
ONE_LINE_MOST = 85


def body(response) -> str:
    """A response's body as text."""
    return response.content.decode()


def refused_control(payload: str, *, multiline: bool) -> bool:
    """Whether a field refuses ``payload`` for its control characters (every text field does:
    Django refuses NUL, the services refuse the rest, keeping line breaks where allowed)."""
    allowed = "\r\n\t" if multiline else ""
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in payload)


def storable(payload: str, max_length: int, *, multiline: bool) -> bool:
    """Whether a field of ``max_length`` is expected to store ``payload``."""
    return not refused_control(payload, multiline=multiline) and (
        0 < len(payload.strip()) <= max_length
    )


def submit_packed(
    submit: Callable[[str], object],
    payloads: list[str],
    max_length: int,
    *,
    multiline: bool = True,
    where: str,
    accepted: Callable[[object], bool] | None = None,
) -> tuple[list[str], list[str]]:
    """Submit ``payloads`` packed into values of at most ``max_length`` (one per line, or
    separated by spaces); ``submit(value)`` returns the response, a redirect when stored.

    Returns (stored, refused). Each refusal page is checked for markup; a refused value of
    several payloads is split in two and submitted again."""
    separator = "\n" if multiline else " "
    accepted = accepted or (lambda response: response.status_code == 302)
    likely = [p for p in payloads if storable(p, max_length, multiline=multiline)]
    groups = payload_groups(likely, max_length, len(separator)) + [
        [p] for p in payloads if p not in likely
    ]
    stored, refused = [], []
    while groups:
        group = groups.pop(0)
        response = submit(separator.join(group))
        assert response.status_code in (200, 302), (where, response.status_code, group)
        if response.status_code == 200:
            assert_no_markup(body(response), PAYLOADS, where)
        if accepted(response):
            stored += group
            continue
        if len(group) > 1:
            half = len(group) // 2
            groups[:0] = [group[:half], group[half:]]
        else:
            refused += group
    return stored, refused


def payload_groups(payloads: list[str], max_length: int, gap: int) -> list[list[str]]:
    """``payloads`` in order, in groups that fit ``max_length`` with ``gap`` between two."""
    groups, current, size = [], [], 0
    for payload in payloads:
        if current and size + gap + len(payload) > max_length:
            groups.append(current)
            current, size = [], 0
        size += (gap if current else 0) + len(payload)
        current.append(payload)
    return [*groups, current] if current else groups


def check_page(client, url: str, payloads, where: str, *, shown=True) -> str:
    """GET ``url``: a page with no payload as markup, showing each of ``payloads`` escaped
    when ``shown``."""
    response = client.get(url)
    assert response.status_code == 200, (where, response.status_code)
    html = body(response)
    assert_no_markup(html, PAYLOADS, where)
    if shown:
        assert_shown_escaped(html, payloads, where)
    return html


def check_emails(messages, payloads, where: str, *, shown=True) -> None:
    """Each e-mail's HTML part shows ``payloads`` escaped and as no markup; its plain-text
    part holds them as written (plain text needs no escaping and must not show entities)."""
    assert messages, f"{where}: no e-mail"
    for message in messages:
        parts = html_parts(message)
        assert parts, f"{where}: no HTML part"
        for html in parts:
            assert_no_markup(html, PAYLOADS, f"{where} (HTML part)")
            if shown:
                assert_shown_escaped(html, payloads, f"{where} (HTML part)")
        if shown:
            text = message.body
            absent = [line for p in payloads for line in lines(p) if line not in text]
            assert not absent, f"{where} (text part): {short(absent)}"


def reminder(kind: str, recipient, pair) -> list:
    """Send one reminder of ``kind`` about ``pair`` to ``recipient`` as the outbox does."""
    before = len(mail.outbox)
    ids = outbox_add(
        kind=kind,
        cohort=pair.cohort,
        period=f"xss-{timezone.now().timestamp()}",
        recipients=[(recipient.pk, pair.pk)],
    )
    outbox_deliver(ids=ids)
    return mail.outbox[before:]


# ---- The demo site, with a client for each person ------------------------------------------


def logged_in(user, **kwargs) -> Client:
    """A client logged in as ``user`` that answers a server error rather than raising it."""
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(user)
    return client


@dataclass
class Portal:
    """The demo site: its pages, the published pair and the people around it."""

    pair: object
    dashboard: object
    people: dict  # email → User

    def client(self, who: str, **kwargs) -> Client:
        return logged_in(self.people[f"{who}@example.org"], **kwargs)

    def pair_url(self, section: str = "", item: int | None = None) -> str:
        base = self.dashboard.url
        if item is not None:
            args = [self.pair.pk, section, item]
            return base + self.dashboard.reverse_subpage("pair_item", args=args)
        if section:
            return base + self.dashboard.reverse_subpage(
                "pair_section", args=[self.pair.pk, section]
            )
        return base + self.dashboard.reverse_subpage("pair", args=[self.pair.pk])

    def admin_pair_url(self) -> str:
        return reverse("cohorts_pair:inspect", args=[self.pair.pk])

    @property
    def open_cohort(self):
        from cohorts.models import CohortPage

        return CohortPage.objects.exclude(pk=self.pair.cohort_id).get()

    def application_page(self, cohort=None):
        from cohorts.models import ApplicationPage

        return ApplicationPage.objects.child_of(cohort or self.open_cohort).get()

    def survey_page(self):
        from surveys.models import SurveyPage

        return SurveyPage.objects.child_of(self.pair.cohort).get()

    def contact_page(self):
        from home.models import ContactPage

        return ContactPage.objects.get()
