"""Deleting an account has a rule for every model that can hold something of the person: a
model with a foreign key to the user, or with text, in the portal's own apps. A new model
without a rule in ``ERASURE_COVERAGE`` fails here, so it cannot be forgotten."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from members.services.accounts import ERASURE_COVERAGE

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


def test_every_model_that_can_hold_a_persons_data_has_an_erasure_rule():
    assert models_without_an_erasure_rule(apps.get_models()) == []


def test_every_rule_names_a_model_that_exists():
    for label in ERASURE_COVERAGE:
        assert apps.get_model(label)


@isolate_apps("cohorts")
def test_a_new_model_with_a_user_or_member_text_and_no_rule_fails():
    class MentorFeedback(models.Model):  # noqa: DJ008
        author = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)

        class Meta:
            app_label = "cohorts"

    class PairReflection(models.Model):  # noqa: DJ008
        text = models.TextField()

        class Meta:
            app_label = "cohorts"

    class Counter(models.Model):  # noqa: DJ008
        count = models.IntegerField()

        class Meta:
            app_label = "cohorts"

    assert models_without_an_erasure_rule([MentorFeedback, PairReflection, Counter]) == [
        "cohorts.MentorFeedback",
        "cohorts.PairReflection",
    ]
