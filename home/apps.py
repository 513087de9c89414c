from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The public site: home page, content pages, contact form, site settings, navigation."""

    name = "home"
    verbose_name = "site"

    def ready(self):
        from core.page_cache import connect_invalidation
        from home import checks  # noqa: F401 (registers the deployment checks)

        connect_invalidation()
