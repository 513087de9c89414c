"""Turn outbox rows into e-mails: the editors' wording with each recipient's values, an HTML
and a plain-text part, the check-in answer links, the unsubscribe link and headers, and the
orientation's calendar file.

One `Renderer` serves a batch of rows, so the wording, the site settings and the pages are
read once per batch, not once per message. Nothing here reads a confidential note, a
contact summary or a change-of-partner reason.
"""

import datetime
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cohorts.choices import (
    APPLICATION_STATUS_REMINDERS,
    CHANGE_OF_PARTNER_REMINDERS,
    OPTIONAL_REMINDERS,
    CheckInAnswerChoice,
)
from cohorts.choices import ReminderKind as Kind
from cohorts.outbox.models import OutboxMessage
from cohorts.pairs.models import ChangeRequest, Pair, PairDashboardPage, SupportRequest
from cohorts.pairs.selectors.needs import (
    ADD_CONTACT_ANCHOR,
    ANSWER_CHANGE_ANCHOR,
    NEEDS_ANCHOR,
)
from cohorts.pairs.selectors.pairs import checkin_dates, dashboard_url_for, pair_open_to
from cohorts.program.models import Application, CohortPage
from cohorts.program.selectors import cohort_application_page, cohort_calendar_build, cohort_event
from cohorts.program.surveys import cohort_surveys
from cohorts.reminders import links
from cohorts.reminders.models import PLACEHOLDER, Announcement, ReminderTemplate
from cohorts.reminders.wording import DEFAULT_WORDING
from core.formatting import hours_display
from core.links import absolute_url, page_absolute_url, site_host
from home.selectors import program_name, site_settings_for
from members.choices import MembershipStatus
from members.models import MemberProfile

CHANGE_KINDS = frozenset(CHANGE_OF_PARTNER_REMINDERS)
DECISION_KINDS = frozenset({Kind.CHANGE_APPROVED, Kind.CHANGE_DECLINED})
# Kinds whose object_id is a pair; the change kinds name a change request, an announcement
# names itself, and an application received names the application.
PAIR_KINDS = frozenset(
    {
        Kind.MATCHED,
        Kind.ORIENTATION,
        Kind.PROGRAM_STARTS,
        Kind.CHECKIN,
        Kind.BEHIND_ON_CONTACT,
        Kind.PROGRAM_ENDS,
        Kind.PARTNER_CLOSED,
        Kind.PARTNER_LEFT,
        Kind.PARTNER_LEFT_SUBCOMMITTEE,
    }
)
# The reminders of a year in a pair: none reaches a member once the pair is over for them
# (``pair_open_to``: they closed their side, or it ended), even one written before.
YEAR_IN_PAIR_KINDS = frozenset(
    {
        Kind.ORIENTATION,
        Kind.PROGRAM_STARTS,
        Kind.CHECKIN,
        Kind.BEHIND_ON_CONTACT,
        Kind.PROGRAM_ENDS,
    }
)
PAIR_OVER = "The pair was over for the member (their side closed, or it ended) by the sending."
# The survey kinds' object_id is the survey page.
SURVEY_KINDS = frozenset({Kind.SURVEY_OPEN, Kind.SURVEY_REMINDER})
SURVEY_NOT_DUE = (
    "By the sending, the member had answered the survey, or was no longer among those it is for."
)
# An application's new status: object_id is the application.
STATUS_KINDS = frozenset(APPLICATION_STATUS_REMINDERS.values())
APPLICATION_KINDS = frozenset(
    {Kind.APPLICATIONS_OPEN, Kind.DEADLINE_APPROACHING, Kind.APPLICATION_RECEIVED, *STATUS_KINDS}
)
# Where on the pair's pages each kind's {link} leads: (section, anchor); the pair's page
# itself for the others. A change of partner opens its page, at the answer when the
# partner is asked; being behind opens the contact form; the orientation and the check-in
# open the "needs you now" list (the calendar file, the answers).
PLACES = {
    **dict.fromkeys(CHANGE_KINDS, ("change", "")),
    Kind.CHANGE_CONSENT: ("change", ANSWER_CHANGE_ANCHOR),
    Kind.BEHIND_ON_CONTACT: ("", ADD_CONTACT_ANCHOR),
    Kind.ORIENTATION: ("", NEEDS_ANCHOR),
    Kind.CHECKIN: ("", NEEDS_ANCHOR),
}
# A request for help: object_id is the support request. The request's own message is never
# in an e-mail; the answer goes to the participant who asked.
HELP_KINDS = frozenset({Kind.HELP_ASKED, Kind.HELP_ANSWERED})
# A coordinator's decision on a membership: object_id is the member profile.
MEMBERSHIP_KINDS = {
    Kind.MEMBERSHIP_VERIFIED: MembershipStatus.VERIFIED,
    Kind.MEMBERSHIP_DECLINED: MembershipStatus.DECLINED,
}
SUBCOMMITTEE_NOTE = "A note from the subcommittee:"
ANSWERED_BY = "{name} answered:"
SUBCOMMITTEE_ANSWERED = "The subcommittee answered:"
DECLINE_REASON = "The reason:"
TEST_SUBJECT = "[Test] {subject}"
# The cohort date each kind's {date} stands for.
DATE_FIELDS = {
    Kind.APPLICATIONS_OPEN: "application_deadline",
    Kind.DEADLINE_APPROACHING: "application_deadline",
    Kind.APPLICATION_RECEIVED: "application_deadline",
    Kind.MATCHED: "formal_start",
    Kind.ORIENTATION: "orientation_date",
    Kind.PROGRAM_STARTS: "formal_start",
    Kind.BEHIND_ON_CONTACT: "formal_end",
    Kind.PROGRAM_ENDS: "formal_end",
}
SAMPLE_VALUES = {
    "first_name": "Alex",
    "partner_name": "Sam Rivera",
    "cohort": "2027-2028 Cohort",
    "program": "Mentoring Program",
    "chair_name": "Jordan Lee",
    "chair_title": "Chair, Mentoring Subcommittee",
    "date": "Monday, March 15, 2027",
    "link": "https://example.org/my-mentoring/",
    "hours": "2",
    "role": "a mentee",
    "pairing_date": "Wednesday, May 12, 2027",
}
LINE_BREAKS = re.compile(r"[\r\n\t]+")
# A check-in's period: "q2" (second quarterly check-in) or "m5", then "-<pair id>".
CHECKIN_PERIOD = re.compile(r"^[a-z](\d+)")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    # The one-click unsubscribe address, the same in the body and the headers; "" for an
    # essential kind.
    unsubscribe_url: str = ""


def fill(template: str, values: dict[str, str], *, escape: bool) -> str:
    """Replace each known {placeholder}; with `escape`, values are HTML-escaped."""

    def value(match: re.Match) -> str:
        if match[1] not in values:
            return match[0]
        return html.escape(values[match[1]]) if escape else values[match[1]]

    return PLACEHOLDER.sub(value, template)


class _TextConverter(HTMLParser):
    """Rich text to readable plain text: paragraphs, lists, and links as "text (url)"."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "ul", "ol", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: list[str | None] = []
        self.link_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.href:
            href, text = self.href.pop(), self.link_text.pop()
            if href and href != text.strip():
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if self.link_text:
            self.link_text[-1] += data
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    converter = _TextConverter()
    converter.feed(markup)
    converter.close()
    text = "".join(converter.parts)
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def wording_for(kind: str) -> tuple[str, str]:
    """(subject, body HTML) of a kind: the editors' snippet, or the built-in wording."""
    template = ReminderTemplate.objects.filter(kind=kind).first()
    if template is None:
        return DEFAULT_WORDING[kind]
    return template.subject, expand_db_html(template.body)


def reminder_preview(template: ReminderTemplate) -> dict:
    """What the admin's preview shows: the wording with sample values, both parts."""
    body = fill(expand_db_html(template.body or ""), SAMPLE_VALUES, escape=True)
    return {
        "subject": fill(template.subject or "", SAMPLE_VALUES, escape=False),
        "html_part": mark_safe(body),  # noqa: S308 (editors' rich text, values escaped)
        "text_part": html_to_text(body),
        "kind": template.kind,
        "checkin_answers": CheckInAnswerChoice.choices if template.kind == Kind.CHECKIN else [],
        "optional": template.kind in OPTIONAL_REMINDERS,
        "chair_name": SAMPLE_VALUES["chair_name"],
        "chair_title": SAMPLE_VALUES["chair_title"],
    }


def _date(day: datetime.date | None) -> str:
    return date_format(day, "l, F j, Y") if day else ""


class Renderer:
    """Builds the e-mails of one batch of outbox rows, reading shared things once."""

    def __init__(self):
        self._wording: dict[str, tuple[str, str]] = {}
        self._site_settings: dict[int, object] = {}
        self._application_urls: dict[int, str] = {}
        self._dashboard = PairDashboardPage.objects.live().first()
        self._pairs: dict[int, Pair] = {}
        self._preferences_url = absolute_url(reverse("reminder_preferences"))
        self._surveys: dict[int | None, object] = {}
        self._announcements: dict[int | None, Announcement] = {}
        self._survey_waiting: dict[int, set[int]] = {}

    def announcement_set(self, announcement: Announcement) -> None:
        """Render announcement rows from this announcement, even one not saved yet (the
        coordinators' preview)."""
        self._announcements[announcement.pk] = announcement

    def prefetch(self, messages: list[OutboxMessage]) -> None:
        """Load the pairs of a batch's pair reminders in one query."""
        ids = {m.object_id for m in messages if m.kind in PAIR_KINDS and m.object_id}
        self._pairs.update(
            Pair.objects.select_related("mentor__applicant", "mentee__applicant").in_bulk(ids)
        )

    def withheld(self, message: OutboxMessage) -> str:
        """Why a reminder written earlier no longer goes: the pair it is about is over for
        its recipient, or the survey no longer waits for their answer; "" to send it."""
        if message.kind in YEAR_IN_PAIR_KINDS:
            pair = self._pair(message.object_id)
            if pair is not None and not pair_open_to(pair=pair, user=message.recipient):
                return PAIR_OVER
        if message.kind in SURVEY_KINDS:
            page = self._survey(message.object_id)
            if page is not None and message.recipient_id not in self._waiting_for(page):
                return SURVEY_NOT_DUE
        return ""

    def _pair(self, pair_id: int | None) -> Pair | None:
        if pair_id not in self._pairs:
            self._pairs[pair_id] = (
                Pair.objects.filter(pk=pair_id)
                .select_related("mentor__applicant", "mentee__applicant")
                .first()
            )
        return self._pairs[pair_id]

    def _waiting_for(self, page) -> set[int]:
        """The ids of the people the survey is for who have not answered it, once a batch."""
        if page.pk not in self._survey_waiting:
            surveys = cohort_surveys()
            audience = {user_id for user_id, _role in surveys.survey_audience(page=page)}
            self._survey_waiting[page.pk] = audience - surveys.survey_respondent_ids(page=page)
        return self._survey_waiting[page.pk]

    def render(self, message: OutboxMessage) -> Rendered:
        values, extra = self._values(message)
        subject_template, body_template = self._wording_for(message.kind)
        subject = LINE_BREAKS.sub(" ", fill(subject_template, values, escape=False)).strip()
        announcement = extra.get("announcement") if message.kind == Kind.ANNOUNCEMENT else None
        if announcement:
            subject = LINE_BREAKS.sub(" ", announcement.subject).strip()
            if announcement.is_test:
                subject = TEST_SUBJECT.format(subject=subject)
        body = fill(body_template, values, escape=True)
        context = {
            **extra,
            "body": mark_safe(body),  # noqa: S308 (editors' rich text, values escaped)
            "body_text": html_to_text(body),
            "message": message,
            "values": values,
            "preferences_url": self._preferences_url,
        }
        if message.kind == Kind.CHECKIN:
            context["checkin_links"] = [
                (label, absolute_url(links.checkin_path(message_id=message.pk, answer=value)))
                for value, label in CheckInAnswerChoice.choices
            ]
        if message.kind in OPTIONAL_REMINDERS:
            context["unsubscribe_url"] = absolute_url(
                links.unsubscribe_path(user_id=message.recipient_id, kind=message.kind)
            )
        return Rendered(
            subject=subject[:300],
            text=render_to_string("cohorts/email/reminder.txt", context),
            html=render_to_string("cohorts/email/reminder.html", context),
            unsubscribe_url=context.get("unsubscribe_url", ""),
        )

    def email(self, message: OutboxMessage, rendered: Rendered) -> EmailMultiAlternatives:
        """The message to send, with headers that let mail clients thread and unsubscribe."""
        headers = {
            "Message-ID": f"<outbox.{message.pk}.{message.kind}@{site_host()}>",
            "Auto-Submitted": "auto-generated",
        }
        if rendered.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        site_settings = self._settings_for(message.cohort)
        chair_email = site_settings.chair_email if site_settings else ""
        email = EmailMultiAlternatives(
            rendered.subject,
            rendered.text,
            None,
            [message.recipient.email],
            headers=headers,
            reply_to=[chair_email] if chair_email else None,
        )
        email.attach_alternative(rendered.html, "text/html")
        if message.kind == Kind.ORIENTATION and message.cohort_id:
            email.attach("orientation.ics", self._orientation_ics(message.cohort), "text/calendar")
        return email

    # ---- Values ----------------------------------------------------------------------------

    def _wording_for(self, kind: str) -> tuple[str, str]:
        if kind not in self._wording:
            self._wording[kind] = wording_for(kind)
        return self._wording[kind]

    def _settings_for(self, cohort: CohortPage | None):
        key = cohort.pk if cohort else 0
        if key not in self._site_settings:
            self._site_settings[key] = site_settings_for(page=cohort)
        return self._site_settings[key]

    def _values(self, message: OutboxMessage) -> tuple[dict[str, str], dict]:
        cohort, user = message.cohort, message.recipient
        site_settings = self._settings_for(cohort)
        pair, extra = self._pair_and_extra(message)
        values = {
            "first_name": user.first_name or user.display_name,
            "cohort": cohort.title if cohort else "",
            "program": program_name(site_settings),
            "chair_name": site_settings.chair_name if site_settings else "",
            "chair_title": site_settings.chair_title if site_settings else "",
            "hours": hours_display(cohort.minimum_contact_hours) if cohort else "",
            "date": self._date_text(message),
            "partner_name": _partner_names(pair, user) if pair else "",
            "link": self._link_for(message, pair),
            "role": _role(message, pair, extra.get("application")),
            "pairing_date": _date(cohort.pairing_completed_by) if cohort else "",
        }
        extra.update(site_settings=site_settings, pair=pair, cohort=cohort, recipient=user)
        return values, extra

    def _pair_and_extra(self, message: OutboxMessage) -> tuple[Pair | None, dict]:
        if message.kind in PAIR_KINDS and message.object_id:
            pair = self._pair(message.object_id)
            if message.kind == Kind.MATCHED and pair:
                return pair, {"partner": _partner_details(pair, message.recipient_id)}
            return pair, {}
        if message.kind in CHANGE_KINDS:
            change = (
                ChangeRequest.objects.select_related("pair__mentor__applicant")
                .select_related("pair__mentee__applicant")
                .filter(pk=message.object_id)
                .first()
            )
            if change is None:
                return None, {}
            # The coordinator's note on a decision goes to the pair; the reason never does.
            note = change.decision_note if message.kind in DECISION_KINDS else ""
            return change.pair, {"note": note, "note_heading": SUBCOMMITTEE_NOTE}
        if message.kind in SURVEY_KINDS:
            return None, {"survey": self._survey(message.object_id)}
        if message.kind == Kind.APPLICATION_RECEIVED:
            return None, {"application": Application.objects.filter(pk=message.object_id).first()}
        if message.kind == Kind.ANNOUNCEMENT:
            return None, {"announcement": self._announcement(message.object_id)}
        if message.kind in STATUS_KINDS:
            return None, _status_extra(message)
        if message.kind in HELP_KINDS:
            return _help_pair_and_extra(message)
        if message.kind in MEMBERSHIP_KINDS:
            return None, _membership_extra(message)
        return None, {}

    def _announcement(self, announcement_id: int | None) -> Announcement | None:
        if announcement_id not in self._announcements:
            found = Announcement.objects.filter(pk=announcement_id).first()
            self._announcements[announcement_id] = found
        return self._announcements[announcement_id]

    def _date_text(self, message: OutboxMessage) -> str:
        text = _date(self._date_for(message))
        cohort = message.cohort
        if message.kind == Kind.ORIENTATION and cohort and cohort.orientation_time:
            time = date_format(cohort.orientation_time, "g:i A")
            text += f" at {time} ({timezone.get_current_timezone_name()})"
        return text

    def _date_for(self, message: OutboxMessage) -> datetime.date | None:
        cohort = message.cohort
        if cohort is None:
            return None
        if message.kind in DATE_FIELDS:
            return getattr(cohort, DATE_FIELDS[message.kind])
        if message.kind == Kind.CHECKIN:
            found = CHECKIN_PERIOD.match(message.period)
            number = int(found[1]) if found else 0
            dates = checkin_dates(cohort=cohort)
            return dates[number - 1] if 0 < number <= len(dates) else None
        if message.kind in SURVEY_KINDS:
            page = self._survey(message.object_id)
            if page is not None:
                return cohort_surveys().survey_dates(page=page)[1]
            return getattr(cohort, f"{message.period}_survey_closes", None)
        return None

    def _link_for(self, message: OutboxMessage, pair: Pair | None) -> str:
        """The page to act on: the very place of the pair's pages where the message's
        matter waits (``PLACES``), the survey, the application, or the account page."""
        if message.kind in APPLICATION_KINDS and message.cohort_id:
            return self._application_url(message.cohort)
        if message.kind in SURVEY_KINDS:
            page = self._survey(message.object_id)
            if page is not None:
                return page_absolute_url(page)
        if message.kind in {Kind.CHANGE_APPROVAL, Kind.HELP_ASKED} and pair:
            return absolute_url(reverse("cohorts_pair:inspect", args=[pair.pk]))
        if message.kind == Kind.PARTNER_LEFT_SUBCOMMITTEE and message.cohort_id:
            return absolute_url(reverse("cohorts_matching:workspace", args=[message.cohort_id]))
        if pair:
            section, anchor = PLACES.get(message.kind, ("", ""))
            return dashboard_url_for(
                pair=pair, page=self._dashboard, section=section, anchor=anchor
            )
        return absolute_url(reverse("member_profile"))

    def _survey(self, page_id: int | None):
        if page_id not in self._surveys:
            self._surveys[page_id] = cohort_surveys().survey_page(page_id=page_id)
        return self._surveys[page_id]

    def _application_url(self, cohort: CohortPage) -> str:
        if cohort.pk not in self._application_urls:
            page = cohort_application_page(cohort=cohort) or cohort
            self._application_urls[cohort.pk] = page_absolute_url(page)
        return self._application_urls[cohort.pk]

    def _orientation_ics(self, cohort: CohortPage) -> bytes:
        site_settings = self._settings_for(cohort)
        site = cohort.get_site()
        calendar = cohort_calendar_build(
            cohort=cohort,
            events=[cohort_event(cohort=cohort, slug="orientation")],
            program_name=site_settings.program_name if site_settings else "",
            host=site.hostname if site else "localhost",
        )
        return calendar.to_ical()


def _status_extra(message: OutboxMessage) -> dict:
    """The application, and the coordinator's note while the status it came with holds."""
    application = Application.objects.filter(pk=message.object_id).first()
    if application is None:
        return {}
    current = APPLICATION_STATUS_REMINDERS.get(application.status)
    note = application.decision_note if current == message.kind else ""
    return {"application": application, "note": note, "note_heading": SUBCOMMITTEE_NOTE}


def _help_pair_and_extra(message: OutboxMessage) -> tuple[Pair | None, dict]:
    """The pair asking for help; for the participant, the coordinator's answer (never the
    request's own words: those stay in the admin)."""
    request = (
        SupportRequest.objects.select_related(
            "pair__mentor__applicant", "pair__mentee__applicant", "answered_by"
        )
        .filter(pk=message.object_id)
        .first()
    )
    if request is None:
        return None, {}
    if message.kind != Kind.HELP_ANSWERED or not request.answered_at:
        return request.pair, {}
    by = request.answered_by
    heading = (
        ANSWERED_BY.format(name=by.display_name)
        if by is not None and not by.erased_at
        else SUBCOMMITTEE_ANSWERED
    )
    return request.pair, {"note": request.answer, "note_heading": heading}


def _membership_extra(message: OutboxMessage) -> dict:
    """The reason a membership was not verified, while that decision holds."""
    if message.kind != Kind.MEMBERSHIP_DECLINED:
        return {}
    profile = MemberProfile.objects.filter(pk=message.object_id).first()
    if profile is None or profile.membership_status != MembershipStatus.DECLINED:
        return {}
    return {"note": profile.decline_reason, "note_heading": DECLINE_REASON}


ROLE_PHRASES = {"mentor": "a mentor", "mentee": "a mentee", "both": "both a mentor and a mentee"}


def _role(message: OutboxMessage, pair: Pair | None, application) -> str:
    if application is not None:
        return ROLE_PHRASES.get(application.role, "")
    if pair is not None:
        return "a mentor" if pair.mentor.applicant_id == message.recipient_id else "a mentee"
    return ""


def _partner_names(pair: Pair, user) -> str:
    people = (pair.mentor.applicant, pair.mentee.applicant)
    if user.pk not in (person.pk for person in people):
        # A coordinator hears about the pair: the partner who is still in the program.
        return " and ".join(person.display_name for person in people if not person.erased_at)
    if pair.mentor.applicant_id == user.pk:
        return pair.mentee.applicant.display_name
    return pair.mentor.applicant.display_name


def _partner_details(pair: Pair, user_id: int) -> dict:
    """What the "you are matched" e-mail tells about the partner: their own profile and
    application answers, never anything coordinators wrote."""
    mine_is_mentor = pair.mentor.applicant_id == user_id
    application = pair.mentee if mine_is_mentor else pair.mentor
    return {
        "role": "mentee" if mine_is_mentor else "mentor",
        "user": application.applicant,
        "application": application,
        "profile": getattr(application.applicant, "profile", None),
        "areas": ", ".join(area.name for area in application.areas.all()),
    }
