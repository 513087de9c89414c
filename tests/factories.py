"""Factories for the portal's models.

Pages are built under a parent: ``StandardPageFactory(parent=home)``. ``HomePageFactory``
builds under Wagtail's root page; the ``site`` fixture in conftest.py makes it the default
site's root. Users: ``UserFactory(email="a@example.org")``; the password is "secret-pass-1".
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
    title = "Mentoring Program"
    slug = "home"
    intro = "Professional development for members at any stage in their career."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "A content page."

    class Meta:
        model = StandardPage


class ContactPageFactory(wagtail_factories.PageFactory):
    title = "Contact the chair"
    slug = "contact"
    subject = "Question about the mentoring program"

    class Meta:
        model = ContactPage


class ContactFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = ContactFormField


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Resources"
    slug = "resources"

    class Meta:
        model = ResourceIndexPage


class ResourceTopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = ResourceTopic


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = ResourceKind.GUIDE
    intro = "A resource for mentors and mentees."

    class Meta:
        model = ResourcePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Announcement {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = NewsPage


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    program_name = "Mentoring Program"
    chair_name = "Regina Gong"
    chair_email = "chair@example.org"

    class Meta:
        model = SiteSettings
        django_get_or_create = ["site"]


class MemberRosterFactory(factory.django.DjangoModelFactory):
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
    """A user with a confirmed e-mail and a profile in the given membership status,
    in the given groups."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    user = UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    MemberProfile.objects.update_or_create(
        user=user, defaults={"membership_status": status, **profile_fields}
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user
