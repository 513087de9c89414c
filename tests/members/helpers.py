"""What the account tests share besides their fixtures and builders: signing up through the
form, a profile as its form posts it, what a profile holds, a page's visible text, the
leaving mentee's words, and the models that deleting an account has no rule for."""

import html
import re

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from members.models import MemberProfile
from members.services.accounts import ERASURE_COVERAGE
from tests.members.factories import FIRST, LAST


def profile_data(areas=(), **overrides) -> dict:
    """A complete profile as the profile form posts it, with ``areas``; ``overrides`` change
    fields."""
    data = {
        "first_name": FIRST,
        "last_name": LAST,
        "pronouns": "she/her",
        "institution": "Riverside Public Library",
        "position": "Cataloging librarian",
        "library_type": "public",
        "career_stage": "early",
        "years_experience": "3",
        "areas": [area.pk for area in areas],
        "time_zone": "America/Chicago",
        "contact_methods": ["virtual", "email"],
        "bio": "I catalog rare maps.\nI would like to learn about preservation.",
    }
    return {**data, **overrides}


def profile_snapshot(user) -> dict:
    """What the profile form writes for ``user``, read back from the database."""
    user.refresh_from_db()
    profile = MemberProfile.objects.get(user=user)
    fields = ["pronouns", "institution", "position", "library_type", "career_stage"]
    fields += ["years_experience", "time_zone", "contact_methods", "bio"]
    return {
        "names": (user.first_name, user.last_name),
        "areas": sorted(profile.areas.values_list("pk", flat=True)),
        **{name: getattr(profile, name) for name in fields},
    }


def text(response) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


SIGN_UP_PASSWORD = "a-long-pass-phrase-2026"


def sign_up(client, email, *, member_number="", last_name="Haddad") -> MemberProfile:
    """Sign up through allauth's form as ``email`` (first name Mei), answered with a
    redirect; the new account's profile::

        profile = sign_up(client, "mei@example.org", member_number="M100002")
    """
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": SIGN_UP_PASSWORD,
            "password2": SIGN_UP_PASSWORD,
            "first_name": "Mei",
            "last_name": last_name,
            "member_number": member_number,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return MemberProfile.objects.get(user__email__iexact=email)


# Words a leaving mentee wrote in every record they have (the ``leaving_pair`` fixture).
LEAVER_WORDS = "THEO-OWN-WORDS"


PORTAL_APPS = {"home", "resources", "members", "cohorts", "surveys", "portal", "core"}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def _points_at_a_user(model) -> bool:
    user_model = get_user_model()
    return any(
        field.is_relation and field.concrete and field.related_model is user_model
        for field in model._meta.get_fields()
    )


def _holds_portal_text(model) -> bool:
    return model._meta.app_label in PORTAL_APPS and any(
        isinstance(field, TEXT_FIELDS) and not field.choices
        for field in model._meta.local_concrete_fields
    )


def models_without_an_erasure_rule(candidates) -> list[str]:
    """The models among ``candidates`` that may hold a person's data and have no rule (their
    own, or a parent's: every page type is covered by ``wagtailcore.Page``)."""
    missing = []
    for model in candidates:
        if model._meta.proxy or not (_points_at_a_user(model) or _holds_portal_text(model)):
            continue
        labels = [model._meta.label, *(p._meta.label for p in model._meta.get_parent_list())]
        if not any(label in ERASURE_COVERAGE for label in labels):
            missing.append(model._meta.label)
    return missing
