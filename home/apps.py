from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The public site: home page, content pages, contact form, site settings, navigation."""

    name = "home"
    verbose_name = "site"

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)
        from .page_cache import connect_invalidation

        connect_invalidation()
