"""A cohort of many published pairs whose first quarterly check-in is due, built in bulk, for
the tests and the benchmark that drive the outbox with a real django-q2 worker.

These functions run inside a Django process pointed at a throw-away database, e.g.
``manage.py shell -c "from tests.cohorts.outbox.outbox_load import checkin_cohort; ..."`` or
benchmarks/reminders.py; nothing here belongs in the normal test database.
"""

import datetime

from django.db import transaction
from django.utils import timezone

# Far enough after the formal start that the first quarterly check-in (three months in) fell
# a week ago: due today, and still inside its three-week window.
DAYS_SINCE_FORMAL_START = 100
PROGRAM_NAME = "Load Test Mentoring Program"


def checkin_cohort(*, pairs: int) -> int:
    """Build a live cohort with `pairs` published pairs (2 x `pairs` participants) whose first
    check-in is due now, under a home page with a pair dashboard; returns the cohort's id."""
    with transaction.atomic():
        home = _home_page()
        cohort = _cohort(home)
        _published_pairs(cohort, count=pairs)
    return cohort.pk


def _home_page():
    from wagtail.models import Page, Site

    from cohorts.models import PairDashboardPage
    from home.models import HomePage, SiteSettings

    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Mentoring Program", slug="load-home")
        )
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page = "localhost", 80, home
        site.save()
    if not PairDashboardPage.objects.exists():
        home.add_child(instance=PairDashboardPage(title="My mentoring", slug="my-mentoring"))
    settings = SiteSettings.for_site(home.get_site())
    settings.program_name, settings.chair_name = PROGRAM_NAME, "Regina Gong"
    settings.save()
    return home


def _cohort(home):
    from cohorts.models import CohortIndexPage, CohortPage
    from cohorts.program.models.pages import cycle_dates

    today = timezone.localdate()
    dates = cycle_dates(today.year)
    shift = today - datetime.timedelta(days=DAYS_SINCE_FORMAL_START) - dates["formal_start"]
    index = CohortIndexPage.objects.first() or home.add_child(
        instance=CohortIndexPage(title="Cohorts", slug="cohorts")
    )
    return index.add_child(
        instance=CohortPage(
            title=f"Load cohort {CohortPage.objects.count() + 1}",
            slug=f"load-cohort-{CohortPage.objects.count() + 1}",
            checkin_cadence="quarterly",
            **{name: day + shift for name, day in dates.items()},
        )
    )


def _published_pairs(cohort, *, count: int) -> None:
    from django.contrib.auth import get_user_model

    from cohorts.choices import ApplicationStatus, PairSource, PairStatus, Role
    from cohorts.models import Application, Pair

    user_model = get_user_model()
    start = user_model.objects.count()
    users = user_model.objects.bulk_create(
        user_model(
            email=f"load{n}@example.org",
            first_name=f"First{n}",
            last_name=f"Last{n}",
            password="!",  # an unusable password: these accounts never log in
        )
        for n in range(start, start + 2 * count)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=Role.MENTOR if n % 2 == 0 else Role.MENTEE,
            mentee_capacity=1 if n % 2 == 0 else None,
            status=ApplicationStatus.ACCEPTED,
            commitment=True,
            submitted_at=now,
        )
        for n, user in enumerate(users)
    )
    Pair.objects.bulk_create(
        Pair(
            cohort=cohort,
            mentor=applications[n],
            mentee=applications[n + 1],
            status=PairStatus.PUBLISHED,
            locked=True,
            source=PairSource.MANUAL,
            confirmed_at=now,
            published_at=now,
        )
        for n in range(0, len(applications), 2)
    )


def outbox_counts() -> dict[str, int]:
    """How many outbox rows are in each status."""
    from django.db.models import Count

    from cohorts.models import OutboxMessage

    rows = OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by()
    return dict(rows)
