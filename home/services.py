"""Writes for the public site: storing contact messages, sending them to the chair, and
erasing them ``CONTACT_MESSAGE_RETENTION_DAYS`` days after they were sent
(``contact_messages_erase_expired``, run by the daily retention task).

The limits, in one place (README: Security):

- one client address sends at most ``CONTACT_MESSAGES_PER_HOUR`` messages an hour; past
  that the message is refused with ``CONTACT_TOO_MANY``, and nothing is stored or sent;
- the chair receives at most ``CONTACT_EMAILS_PER_HOUR`` messages an hour one by one, from
  everyone together; the rest are stored like any other and wait for the hourly digest
  (``contact_digest_send``), so a flood never fills the chair's mailbox and nothing sent in
  good faith is lost.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.formats import date_format
from wagtail.contrib.forms.models import FormSubmission

from core.formatting import moment_display
from core.limits import limit_consume
from core.tasks import enqueue_on_commit
from home.errors import CONTACT_TOO_MANY, ContactLimitReached
from home.models import ContactDigestItem
from home.selectors import (
    contact_messages_expired,
    contact_recipients,
    program_name,
    site_settings_for,
)

logger = logging.getLogger(__name__)

CONTACT_NO_RECIPIENT = (
    "Contact message %s was stored but not e-mailed: set the chair's e-mail in the site "
    "settings or a 'to address' on the contact page."
)
CONTACT_DEFAULT_SUBJECT = "A message from the {program} website"
CONTACT_DIGEST_SUBJECT = "{count} messages from the {program} website"
CONTACT_DIGEST_INTRO = (
    "More messages came through the contact form this past hour than are sent one by one "
    "({limit} an hour). Here they are together, oldest first; reply to each sender at the "
    "address they gave."
)
CONTACT_DIGEST_NO_RECIPIENT = (
    "%s contact messages wait for the digest but nobody is set to receive them: set the "
    "chair's e-mail in the site settings or a 'to address' on the contact page."
)


def contact_submission_receive(
    *, page, cleaned_data: dict[str, Any], client: str
) -> FormSubmission:
    """Store a message from the contact form and queue its e-mail to the chair after the
    commit, or keep it for the hourly digest once this hour's e-mails are spent.

    Raises ContactLimitReached, storing nothing, when ``client`` (its address) has sent
    ``CONTACT_MESSAGES_PER_HOUR`` messages this hour.
    """
    usage = limit_consume(
        group="home.contact.client",
        key=client,
        limit=settings.CONTACT_MESSAGES_PER_HOUR,
        period="h",
    )
    if not usage.allowed:
        raise ContactLimitReached(
            CONTACT_TOO_MANY.format(limit=usage.limit, time=moment_display(usage.resets_at))
        )
    with transaction.atomic():
        submission = FormSubmission.objects.create(form_data=cleaned_data, page=page)
        if _chair_ceiling_allows():
            enqueue_on_commit("home.tasks.contact_submission_notify", submission.pk)
        else:
            ContactDigestItem.objects.create(submission=submission)
    return submission


def _chair_ceiling_allows() -> bool:
    return limit_consume(
        group="home.contact.emails",
        key="site",
        limit=settings.CONTACT_EMAILS_PER_HOUR,
        period="h",
    ).allowed


def contact_submission_send(*, submission_id: int) -> bool:
    """E-mail a stored contact message to the chair; False when nobody is set to receive it."""
    submission = FormSubmission.objects.select_related("page").get(pk=submission_id)
    page = submission.page.specific
    recipients = contact_recipients(page=page)
    if not recipients:
        logger.warning(CONTACT_NO_RECIPIENT, submission_id)
        return False
    data = submission.get_data()
    fields = list(page.get_form_fields())
    reply_to = [
        data[f.clean_name] for f in fields if f.field_type == "email" and data.get(f.clean_name)
    ]
    message = EmailMessage(
        subject=page.subject
        or CONTACT_DEFAULT_SUBJECT.format(program=program_name(site_settings_for(page=page))),
        body="\n".join(_lines(fields, data)),
        from_email=page.from_address or None,
        to=recipients,
        reply_to=reply_to[:1],
    )
    message.send()
    return True


def contact_messages_erase_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the contact messages sent more than ``CONTACT_MESSAGE_RETENTION_DAYS`` days
    before ``now`` (one still waiting for the digest with it); returns how many went."""
    _deleted, per_model = contact_messages_expired(now=now).delete()
    count = per_model.get(FormSubmission._meta.label, 0)
    if count:
        logger.info("Erased %s contact messages past their retention period.", count)
    return count


def contact_digest_send() -> int:
    """E-mail the messages waiting for the digest, one e-mail per contact page, and forget
    them once sent; the number of messages sent. A failed send keeps them for the next run,
    and two runs at once never send one twice (the rows are locked)."""
    with transaction.atomic():
        waiting = list(
            ContactDigestItem.objects.select_for_update()
            .select_related("submission__page")
            .order_by("submission__submit_time", "pk")
        )
        by_page: dict[int, list[ContactDigestItem]] = {}
        for item in waiting:
            by_page.setdefault(item.submission.page_id, []).append(item)
        sent = [item for items in by_page.values() for item in _digest_send(items)]
        ContactDigestItem.objects.filter(pk__in=[item.pk for item in sent]).delete()
    return len(sent)


def _digest_send(items: list) -> list:
    page = items[0].submission.page.specific
    recipients = contact_recipients(page=page)
    if not recipients:
        logger.warning(CONTACT_DIGEST_NO_RECIPIENT, len(items))
        return []
    fields = list(page.get_form_fields())
    parts = [CONTACT_DIGEST_INTRO.format(limit=settings.CONTACT_EMAILS_PER_HOUR)]
    for number, item in enumerate(items, start=1):
        sent_at = date_format(item.submission.submit_time, "SHORT_DATETIME_FORMAT")
        heading = f"--- Message {number} of {len(items)}, sent {sent_at} ---"
        parts.append("\n".join([heading, *_lines(fields, item.submission.get_data())]))
    program = program_name(site_settings_for(page=page))
    EmailMessage(
        subject=CONTACT_DIGEST_SUBJECT.format(count=len(items), program=program),
        body="\n\n".join(parts),
        from_email=page.from_address or None,
        to=recipients,
    ).send()
    return items


def _lines(fields, data: dict) -> list[str]:
    return [f"{f.label}: {_display(data.get(f.clean_name, ''))}" for f in fields]


def _display(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
