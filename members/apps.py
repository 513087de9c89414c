from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Accounts of the portal: people who log in by e-mail address."""

    name = "members"
    verbose_name = "members"
