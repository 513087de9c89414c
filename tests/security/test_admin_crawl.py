"""No administrator reaches confidential text, by any screen of any admin.

On the demo site, the mentee writes a private and a shared confidential note, a contact
with a summary (the pair's own record: coordinators see a contact's date and length, never
its summary) and one answer to the open mid-way survey, fewer than the results screen needs
before it shows a question's answers ("too few to report"). A superuser then crawls the
admin: from the dashboard, from every link of the sidebar's menu (rendered from the JSON
props in the page) and from Django's admin address, following every address inside the
admin that a page links to or names in its markup or its JSON, up to ``MAX_REQUESTS``.
Listings, inspect pages, the Mentoring menu's screens, the Forms screen and every CSV and
XLSX export are fetched; none of the canaries may appear in any of them, and no form
anywhere may ask for a function for the task worker to run.
"""

import datetime
import io
import json
import zipfile
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.pairs.services.notes import note_add
from cohorts.pairs.services.pairs import contact_add
from surveys.selectors.results import TOO_FEW
from tests.helpers import sidebar_menu

pytestmark = pytest.mark.django_db

PRIVATE_CANARY = "CANARY-crawl-private-91c3"
SHARED_CANARY = "CANARY-crawl-shared-5ae8"
SUMMARY_CANARY = "CANARY-crawl-summary-0d7f"
SURVEY_CANARY = "CANARY-crawl-survey-e24b"
CANARIES = (PRIVATE_CANARY, SHARED_CANARY, SUMMARY_CANARY, SURVEY_CANARY)
ADMINS = ("/admin/", "/django-admin/")
# Enough for every screen of the demo site's admin with room to grow; the crawl asserts
# below that it reached the screens that matter, so a bound hit early cannot pass quietly.
MAX_REQUESTS = 2500
# The address that ends the session.
SKIPPED = ("/logout/",)
# The one query parameter that changes what a screen holds rather than how it is sorted,
# filtered or paged.
KEPT_PARAMETERS = {"export"}


class LinkCollector(HTMLParser):
    """Every attribute value and every string in an embedded JSON script (the sidebar's
    props among them) that names an address inside an admin."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.fields: list[str] = []
        self._json_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "select", "textarea"} and attributes.get("name"):
            self.fields.append(attributes["name"])
        self._json_script = tag == "script" and attributes.get("type") == "application/json"
        for value in attributes.values():
            if value and value.startswith(ADMINS):
                self.addresses.append(value)

    def handle_endtag(self, tag):
        self._json_script = False

    def handle_data(self, data):
        if self._json_script:
            self.addresses += list(admin_strings(json.loads(data)))


def admin_strings(value):
    """The strings naming an admin address anywhere in decoded JSON."""
    if isinstance(value, str):
        if value.startswith(ADMINS):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from admin_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from admin_strings(item)


def normalised(address: str) -> str | None:
    """The address without its fragment and with only the parameters that change what a
    screen holds; None for an address outside the admins or one the crawl leaves alone."""
    parts = urlsplit(address)
    if parts.netloc and parts.netloc != "testserver":
        return None
    if not parts.path.startswith(ADMINS) or any(skip in parts.path for skip in SKIPPED):
        return None
    kept = [(key, value) for key, value in parse_qsl(parts.query) if key in KEPT_PARAMETERS]
    return parts.path + (f"?{urlencode(sorted(kept))}" if kept else "")


def text_of(response) -> str:
    """What a response holds as text: its body, or every file inside an XLSX export."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def fetch(client, address: str):
    """GET ``address`` inside a transaction that is rolled back: the crawl sees the same site
    throughout, whatever a screen writes."""
    with transaction.atomic():
        response = client.get(address)
        transaction.set_rollback(True)
    return response


class Crawl:
    """A breadth-first walk of the admins from a set of addresses."""

    def __init__(self, client):
        self.client = client
        self.statuses: dict[str, int] = {}
        self.leaks: list[str] = []
        self.function_fields: list[str] = []

    def run(self, starts: list[str]) -> None:
        queue = deque(starts)
        seen = set(starts)
        while queue and len(self.statuses) < MAX_REQUESTS:
            address = queue.popleft()
            for found in self.visit(address):
                if found not in seen:
                    seen.add(found)
                    queue.append(found)

    def visit(self, address: str) -> list[str]:
        response = fetch(self.client, address)
        self.statuses[address] = response.status_code
        if response.status_code in {301, 302}:
            return [a for a in [normalised(response["Location"])] if a]
        text = text_of(response)
        self.leaks += [f"{address}: {canary}" for canary in CANARIES if canary in text]
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        collector = LinkCollector()
        collector.feed(text)
        if "func" in collector.fields:
            self.function_fields.append(address)
        return [a for a in map(normalised, collector.addresses) if a]


def answer_the_survey(client, page, text: str) -> None:
    """Answer every question of the survey ``page``: the first choice, 4 on a rating and
    ``text`` in each free-text question."""
    answers = {}
    for field in page.get_form_fields():
        if field.field_type == "rating":
            answers[field.clean_name] = "4"
        elif field.field_type in {"radio", "dropdown", "checkboxes"}:
            answers[field.clean_name] = field.choices.splitlines()[0].strip()
        else:
            answers[field.clean_name] = text
    response = client.post(page.url, answers)
    assert response.status_code == 302, response.status_code


@pytest.fixture
def planted(portal):
    """The canaries, written by the mentee as the portal's forms and services write them."""
    from surveys.models import SurveyResponse

    pair, mentee = portal.pair, portal.pair.mentee.applicant
    note_add(pair=pair, user=mentee, text=PRIVATE_CANARY)
    note_add(pair=pair, user=mentee, text=SHARED_CANARY, shared=True)
    day = min(timezone.localdate(), pair.cohort.formal_end) - datetime.timedelta(days=1)
    contact_add(pair=pair, user=mentee, date=day, minutes=45, method="email",
                summary=SUMMARY_CANARY)  # fmt: skip
    survey = portal.survey_page()
    answer_the_survey(portal.client("mentee"), survey, SURVEY_CANARY)
    assert (
        SurveyResponse.objects.filter(page=survey, form_data__icontains=SURVEY_CANARY).count() == 1
    )
    return portal


def test_no_admin_screen_or_export_shows_a_note_a_contact_summary_or_a_lone_survey_answer(
    planted,
):
    admin = planted.client("admin")
    dashboard = admin.get("/admin/")
    assert dashboard.status_code == 200
    menu = sidebar_menu(text_of(dashboard))
    mentoring = next(item for item in menu if item["name"] == "mentoring")
    menu_urls = [item["url"] for item in menu if item.get("url")]
    menu_urls += [child["url"] for item in menu for child in item.get("items", [])]
    assert len(mentoring["items"]) >= 8

    crawl = Crawl(admin)
    crawl.run(["/admin/", *ADMINS, *filter(None, map(normalised, menu_urls))])

    assert crawl.leaks == [], "\n".join(crawl.leaks)
    assert crawl.function_fields == []
    assert crawl.statuses["/django-admin/"] == 404
    assert not [a for a, status in crawl.statuses.items() if status >= 500]
    visited = {address for address, status in crawl.statuses.items() if status == 200}
    survey, pair = planted.survey_page(), planted.pair
    must_reach = {
        reverse("wagtailforms:index"),
        reverse("cohorts_reports:survey", args=[survey.pk]),
        reverse("cohorts_reports:survey_csv", args=[survey.pk]),
        reverse("cohorts_pair:inspect", args=[pair.pk]),
        *[child["url"] for child in mentoring["items"]],
    }
    assert must_reach - visited == set()
    assert any("export=csv" in address for address in visited)
    assert any("export=xlsx" in address for address in visited)
    assert len(crawl.statuses) < MAX_REQUESTS, "the crawl stopped at its bound"


def test_the_survey_answer_is_stored_and_the_results_screen_holds_it_back(planted):
    """The canary survey answer is really there, and the one screen that reads answers keeps
    a question with fewer than five of them back."""
    coordinator = planted.client("coordinator")
    survey = planted.survey_page()
    results = text_of(coordinator.get(reverse("cohorts_reports:survey", args=[survey.pk])))
    assert TOO_FEW in results
    assert SURVEY_CANARY not in results
