"""What the member's data download holds about surveys: the surveys they answered, as what
and when. Their answers are not in it: nothing links a response to a person, so there is
nothing to find them by.

Deleting an account keeps these rows: they point at the anonymised user and keep the
response rates right. Loaded by SurveysConfig.ready().
"""

from typing import Any

from members.services.accounts import data_export_section, erasure_keeps, export_fields
from surveys.models import SurveyParticipation

erasure_keeps(
    {
        "surveys.SurveyParticipation": "kept: that the anonymised account answered, for the "
        "response rates",
        "surveys.SurveyResponse": "kept: anonymous answers, linked to nobody",
        "surveys.SurveyFormField": "kept: editors' questions",
    }
)


@data_export_section("Surveys you answered")
def export_surveys_answered(*, user) -> list[dict[str, Any]]:
    participations = SurveyParticipation.objects.filter(user=user).select_related("page")
    return [
        {
            "Survey": participation.page.title,
            "Cohort": cohort.title if (cohort := participation.page.cohort) else "",
            **export_fields(participation, ["role", "answered_on"]),
            "Answers": "Not kept with your name: the answers are anonymous.",
        }
        for participation in participations.order_by("answered_on", "pk")
    ]
