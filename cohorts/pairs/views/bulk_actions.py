"""A liaison for many pairs at once, from the coordinators' pairs listing: the ticked pairs
(or every one the listing shows) get the chosen coordinator, or no liaison, after a
confirmation page that names them."""

from cohorts.pairs.models import Pair
from cohorts.pairs.services.pairs import pairs_liaison_set
from cohorts.pairs.viewsets import LiaisonForm, PairViewSet
from core.bulk_actions import BulkConfirmForm, ListingBulkAction

LIAISON_SET = "{name} is now the liaison of {count} {pairs}."
LIAISON_REMOVED = (
    "{count} {pairs} now {have} no liaison; their requests for help go to every coordinator."
)


class LiaisonBulkForm(BulkConfirmForm, LiaisonForm):
    pass


class LiaisonBulkAction(ListingBulkAction):
    """Set the liaison of the selected pairs."""

    viewset_class = PairViewSet
    form_class = LiaisonBulkForm
    display_name = "Set liaison"
    action_type = "set_liaison"
    aria_label = "Set the liaison of the selected pairs"
    action_priority = 10
    question = "These pairs get the liaison chosen below"
    action_button_text = "Set the liaison of {count}"

    def listing_queryset(self):
        return Pair.objects.select_related(
            "cohort", "mentor__applicant", "mentee__applicant", "liaison"
        ).order_by("mentor__applicant__last_name", "pk")

    def row_label(self, obj) -> str:
        mentor, mentee = obj.mentor.applicant.display_name, obj.mentee.applicant.display_name
        liaison = obj.liaison.display_name if obj.liaison else "no liaison"
        return f"{mentor} and {mentee} ({obj.cohort.title}; now: {liaison})"

    def execute_action(self, objects, **kwargs):
        ready, _refused = self.checked
        self.liaison = self.cleaned_form.cleaned_data["liaison"]
        count = pairs_liaison_set(pair_ids=[pair.pk for pair in ready], liaison=self.liaison)
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        pairs = "pair" if num_parent_objects == 1 else "pairs"
        if self.liaison is None:
            have = "has" if num_parent_objects == 1 else "have"
            return LIAISON_REMOVED.format(count=num_parent_objects, pairs=pairs, have=have)
        return LIAISON_SET.format(
            name=self.liaison.display_name, count=num_parent_objects, pairs=pairs
        )
