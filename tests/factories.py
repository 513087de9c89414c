"""Factories for the site-wide models: users and members, the roster, the home and content
pages, the contact page, resources and news. The cohorts and surveys apps have their own
(tests/cohorts/factories.py, tests/surveys/factories.py).

Pages are built under a parent: ``StandardPageFactory(parent=home)``. ``HomePageFactory``
builds under Wagtail's root page; the ``site`` fixture in conftest.py makes it the default
site's root. Users: ``UserFactory(email="a@example.org")``; the password is "secret-pass-1".
Members, with a confirmed e-mail and a membership status: ``member("a@example.org")``.
"""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import ContactFormField, ContactPage, HomePage, SiteSettings, StandardPage
from members.models import MemberProfile, MemberRoster
from resources.models import (
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourceKind,
    ResourcePage,
    ResourceTopic,
)

USER_PASSWORD = "secret-pass-1"


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is ``USER_PASSWORD``: ``UserFactory(email="a@example.org")``;
    for a member of the association use ``member()``."""

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", USER_PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HomePageFactory(wagtail_factories.PageFactory):
    """The home page: ``HomePageFactory(parent=Page.get_first_root_node())`` (the ``site``
    fixture does this and makes it the default site's root)."""

    title = "Mentoring Program"
    slug = "home"
    intro = "Professional development for members at any stage in their career."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    """A content page: ``StandardPageFactory(parent=home, title="About")``."""

    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "A content page."

    class Meta:
        model = StandardPage


class ContactPageFactory(wagtail_factories.PageFactory):
    """The contact page without questions: ``ContactPageFactory(parent=home)``; with its
    questions, use ``contact_page(home)``."""

    title = "Contact the chair"
    slug = "contact"
    subject = "Question about the mentoring program"

    class Meta:
        model = ContactPage


class ContactFormFieldFactory(factory.django.DjangoModelFactory):
    """A required one-line question on a contact page:
    ``ContactFormFieldFactory(page=contact, label="Your name")``."""

    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = ContactFormField


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    """The resource index page: ``ResourceIndexPageFactory(parent=home)``."""

    title = "Resources"
    slug = "resources"

    class Meta:
        model = ResourceIndexPage


class ResourceTopicFactory(factory.django.DjangoModelFactory):
    """A resource topic: ``ResourceTopicFactory(name="Cataloging")``."""

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = ResourceTopic


class ResourcePageFactory(wagtail_factories.PageFactory):
    """A guide under the resource index: ``ResourcePageFactory(parent=index,
    kind=ResourceKind.TEMPLATE)``."""

    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = ResourceKind.GUIDE
    intro = "A resource for mentors and mentees."

    class Meta:
        model = ResourcePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    """The news index page: ``NewsIndexPageFactory(parent=home)``."""

    title = "News"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    """A news item, each one a day after the last from January 1, 2026:
    ``NewsPageFactory(parent=news)``."""

    title = factory.Sequence(lambda n: f"Announcement {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = NewsPage


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    """A site's settings, with Regina Gong as the chair (found if the site has them):
    ``SiteSettingsFactory(site=site)``."""

    program_name = "Mentoring Program"
    chair_name = "Regina Gong"
    chair_email = "chair@example.org"

    class Meta:
        model = SiteSettings
        django_get_or_create = ["site"]


class MemberRosterFactory(factory.django.DjangoModelFactory):
    """A row of the membership roster, a member for another year:
    ``MemberRosterFactory(email="a@example.edu", member_number="M1")``."""

    member_number = factory.Sequence(lambda n: f"M{200000 + n}")
    email = factory.Sequence(lambda n: f"rostered{n}@example.edu")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    membership_expires = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=365)
    )

    class Meta:
        model = MemberRoster


def member(email: str = "", *, status: str = "verified", groups=(), **profile_fields):
    """A user with a confirmed e-mail and a profile in the given membership status, in the
    given groups; other keywords are the profile's fields::

        member("coordinator@example.org", groups=[COORDINATORS])
        member(status="pending", institution="Riverside Library")
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    user = UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    MemberProfile.objects.update_or_create(
        user=user, defaults={"membership_status": status, **profile_fields}
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def contact_page(home) -> ContactPage:
    """The contact page under ``home`` with its four questions: name, e-mail address, what
    the question is about (a choice) and the message::

        page = contact_page(home)
    """
    page = ContactPageFactory(parent=home)
    for label, kind, choices in [
        ("Your name", "singleline", ""),
        ("Your e-mail address", "email", ""),
        ("Your question is about", "dropdown", "Being a mentor\nBeing a mentee"),
        ("Message", "multiline", ""),
    ]:
        ContactFormField.objects.create(page=page, label=label, field_type=kind, choices=choices)
    return page
