"""Factories for cohorts and applications.

Dates are chosen around today rather than by mocking time: ``cohort_dates(opens=-10,
deadline=10)`` is a cohort whose applications opened ten days ago and close in ten days, in
the seed's order (``cycle_dates``) for the rest of its year. ``open_application_page()``
builds the whole tree (cohort index, cohort, application page) under the ``site`` fixture's
home page and returns the application page::

    page = open_application_page(home, opens=-70, deadline=-1)   # closed yesterday
    ApplicationFactory(cohort=page.cohort, applicant=member(), role=Role.MENTEE)
"""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from cohorts.choices import ApplicationStatus, Role
from cohorts.models import Application, ApplicationPage, CohortIndexPage, CohortPage
from cohorts.program.models.pages import cycle_dates
from members.models import AreaOfInterest


def cohort_dates(*, opens: int = -10, deadline: int = 10) -> dict[str, datetime.date]:
    """A cohort's dates, ``opens`` and ``deadline`` days from today; the rest of the year
    follows the seed's cycle, moved along with the opening day."""
    today = timezone.localdate()
    dates = cycle_dates(today.year)
    shift = today + datetime.timedelta(days=opens) - dates["applications_open"]
    moved = {name: day + shift for name, day in dates.items()}
    moved["application_deadline"] = today + datetime.timedelta(days=deadline)
    assert opens < deadline < opens + 117, "the deadline must fall before pairing"
    return moved


class CohortIndexPageFactory(wagtail_factories.PageFactory):
    title = "Cohorts"
    slug = "cohorts"

    class Meta:
        model = CohortIndexPage


class CohortPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Cohort {2030 + n}")
    minimum_contact_hours = 2

    class Meta:
        model = CohortPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dates = cohort_dates(opens=kwargs.pop("opens", -10), deadline=kwargs.pop("deadline", 10))
        return super()._create(model_class, *args, **{**dates, **kwargs})


class ApplicationPageFactory(wagtail_factories.PageFactory):
    title = "Apply"
    slug = "apply"

    class Meta:
        model = ApplicationPage


class AreaOfInterestFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Area {n}")

    class Meta:
        model = AreaOfInterest
        django_get_or_create = ["name"]


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted, complete application as a mentee; pass ``cohort`` and ``applicant``."""

    role = Role.MENTEE
    goals = "Learn cataloguing."
    contact_methods = factory.LazyFunction(lambda: ["email"])
    commitment = True
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Application


def open_application_page(home, *, opens: int = -10, deadline: int = 10, **cohort_fields):
    """An application page under a new cohort under the home page's cohort index."""
    index = CohortIndexPage.objects.child_of(home).first() or CohortIndexPageFactory(parent=home)
    cohort = CohortPageFactory(parent=index, opens=opens, deadline=deadline, **cohort_fields)
    return ApplicationPageFactory(parent=cohort)


def published_pair(cohort, *, mentor=None, mentee=None, coordinator=None):
    """A published pair in ``cohort`` between two new verified members (or the given users),
    made as coordinators make one: accepted applications, paired by hand, published."""
    from cohorts.matching.services import pair_by_hand, pairs_publish
    from tests.factories import member

    applications = []
    for user, role in ((mentor, Role.MENTOR), (mentee, Role.MENTEE)):
        applications.append(
            ApplicationFactory(
                cohort=cohort,
                applicant=user or member(),
                role=role,
                mentee_capacity=1 if role == Role.MENTOR else None,
                status=ApplicationStatus.ACCEPTED,
            )
        )
    pair = pair_by_hand(
        cohort=cohort,
        mentor_id=applications[0].pk,
        mentee_id=applications[1].pk,
        user=coordinator,
    )
    pairs_publish(cohort=cohort, user=coordinator)
    pair.refresh_from_db()
    return pair
