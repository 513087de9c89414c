from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    """Accounts, membership verification against the roster, profiles and roles."""

    name = "members"
    verbose_name = "members"

    def ready(self):
        from members import signals  # noqa: F401 (connects the account event handlers)
        from members.roles import roles_sync_after_migrate
        from members.services import sso  # noqa: F401 (registers its erasure and export steps)

        post_migrate.connect(roles_sync_after_migrate, sender=self)
