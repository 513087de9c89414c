from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users import apps as wagtail_users_apps


class MembersConfig(AppConfig):
    """Accounts, membership verification against the roster, profiles and roles."""

    name = "members"
    verbose_name = "members"

    def ready(self):
        from members import signals  # noqa: F401 (connects the account event handlers)
        from members.roles import roles_sync_after_migrate
        from members.services import sso  # noqa: F401 (registers its erasure and export steps)

        post_migrate.connect(roles_sync_after_migrate, sender=self)


class UsersAdminConfig(wagtail_users_apps.WagtailUsersAppConfig):
    """Wagtail's users app (label ``wagtailusers``), whose admin screens delete an account by
    erasing the person as the member's own deletion does (members/viewsets/users.py).
    INSTALLED_APPS names it in place of ``wagtail.users``.
    https://docs.wagtail.org/en/stable/advanced_topics/customisation/custom_user_models.html
    """

    # Django must not take it for the members app's own configuration.
    default = False
    user_viewset = "members.viewsets.users.UserViewSet"
