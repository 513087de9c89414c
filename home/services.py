"""Writes for the public site: storing contact messages and sending them to the chair."""

import datetime
import logging
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.formats import date_format
from wagtail.contrib.forms.models import FormSubmission

from core.tasks import enqueue_on_commit
from home.selectors import contact_recipients, program_name, site_settings_for

logger = logging.getLogger(__name__)

CONTACT_NO_RECIPIENT = (
    "Contact message %s was stored but not e-mailed: set the chair's e-mail in the site "
    "settings or a 'to address' on the contact page."
)
CONTACT_DEFAULT_SUBJECT = "A message from the {program} website"


def contact_submission_receive(*, page, cleaned_data: dict[str, Any]) -> FormSubmission:
    """Store a contact message and queue its e-mail to the chair after the commit."""
    with transaction.atomic():
        submission = FormSubmission.objects.create(form_data=cleaned_data, page=page)
        enqueue_on_commit("home.tasks.contact_submission_notify", submission.pk)
    return submission


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
    lines = [f"{f.label}: {_display(data.get(f.clean_name, ''))}" for f in fields]
    message = EmailMessage(
        subject=page.subject
        or CONTACT_DEFAULT_SUBJECT.format(program=program_name(site_settings_for(page=page))),
        body="\n".join(lines),
        from_email=page.from_address or None,
        to=recipients,
        reply_to=reply_to[:1],
    )
    message.send()
    return True


def _display(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
