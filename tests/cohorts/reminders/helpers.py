"""What the tests of the program's e-mail screens share besides their fixtures: the
announcement screens' addresses and an announcement posted to a cohort."""

from django.urls import reverse

from cohorts.choices import AnnouncementAudience

ANNOUNCEMENTS = "cohorts_announcement:index"
ANNOUNCE = "cohorts_announcement:add"


def announce(
    client,
    cohort,
    *,
    audience=AnnouncementAudience.PARTICIPANTS,
    subject="News",
    body="Hello.",
    action="send",
):
    """An announcement of ``subject`` and ``body`` to ``audience`` of ``cohort``, posted with
    the preview's ``action`` ("send", "test", "edit"; "preview" is the writing form's)."""
    return client.post(
        reverse(ANNOUNCE),
        {
            "cohort": cohort.pk,
            "audience": audience,
            "subject": subject,
            "body": body,
            "action": action,
        },
    )
