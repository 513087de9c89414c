"""Deleting an account has a rule for every model that can hold something of the person: a
model with a foreign key to the user, or with text, in the portal's own apps. A new model
without a rule in ``ERASURE_COVERAGE`` fails here, so it cannot be forgotten."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from members.services.accounts import ERASURE_COVERAGE
from tests.members.helpers import models_without_an_erasure_rule


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
