"""The admin's Users screens (Settings > Users), where deleting an account erases the person.

Wagtail's own screens delete the user row, and the database's cascade then takes the
person's pairs with it and tells nobody. Here an administrator's deletion runs the member's
own (``member_account_erase``): the same erasure steps, pairs ended as "partner left the
program", the partner and the subcommittee told through the outbox, the row kept as "Former
participant". Both ways in are replaced: the user's delete view (``UserViewSet``, which
``members.apps.UsersAdminConfig`` names as the users app's ``user_viewset``) and the
listing's "Delete" bulk action (``UserEraseBulkAction``, registered in wagtail_hooks.py).
Each confirmation page says what deleting that member does. Who may delete whom stays
Wagtail's rule (``user_can_delete_user``): the permission to delete users, never one's own
account, never a superuser unless one is.
https://docs.wagtail.org/en/stable/advanced_topics/customisation/custom_user_models.html
"""

from wagtail.users.utils import user_can_delete_user
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from members.services.accounts import member_account_erase, member_erasure_consequences

CONFIRM = "Delete {name}\u2019s account?"
ACCOUNT_DELETED = (
    "{name}\u2019s account is deleted: their personal data is erased and the partners and "
    "subcommittee concerned are told."
)
NONE_DELETED = "No account is deleted."
ACCOUNTS_DELETED = (
    "{count} account is deleted: its personal data is erased and the partners and "
    "subcommittee concerned are told.",
    "{count} accounts are deleted: their personal data is erased and the partners and "
    "subcommittee concerned are told.",
)


class UserDeleteView(wagtail_users.DeleteView):
    """Says what deleting this member does, then erases them (``member_account_erase``)."""

    def get_usage_url(self):
        # The row stays, anonymised: what points at it keeps pointing at it, so Wagtail's
        # count of references, and its refusal when one is protected, do not apply.
        return None

    @property
    def confirmation_message(self):
        return CONFIRM.format(name=self.object.display_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consequences"] = member_erasure_consequences(users=[self.object])[self.object.pk]
        return context

    def delete_action(self):
        self.deleted_name = self.object.display_name
        member_account_erase(user=self.object, by=self.request.user)

    def get_success_message(self):
        return ACCOUNT_DELETED.format(name=self.deleted_name)


class UserViewSet(wagtail_users.UserViewSet):
    """Wagtail's users screens, deleting an account by erasing the person."""

    delete_view_class = UserDeleteView
    delete_template_name = "members/admin/user_confirm_delete.html"


class UserEraseBulkAction(UserBulkAction):
    """The users listing's "Delete" for the ticked accounts: says what deleting each does,
    then erases each as its owner's own deletion would, in one transaction."""

    display_name = "Delete"
    action_type = "delete"
    aria_label = "Delete selected users"
    template_name = "members/admin/user_confirm_bulk_delete.html"
    action_priority = 10
    classes = {"serious"}

    def check_perm(self, obj):
        return user_can_delete_user(self.request.user, obj)

    def annotate_items(self, items):
        items = super().annotate_items(items)
        self.consequences = member_erasure_consequences(users=items)
        return items

    def object_context(self, obj):
        return {**super().object_context(obj), "consequences": self.consequences[obj.pk]}

    def get_execution_context(self):
        return {"by": self.request.user}

    @classmethod
    def execute_action(cls, objects, by=None, **kwargs):
        for user in objects:
            member_account_erase(user=user, by=by)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if not num_parent_objects:
            return NONE_DELETED
        sentence = ACCOUNTS_DELETED[num_parent_objects != 1]
        return sentence.format(count=num_parent_objects)
