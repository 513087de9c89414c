from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself: settings, URLs, site-wide wiring (the page cache's invalidation,
    the deployment checks), backup and restore, the demo content and the management
    commands that set a site up, with the record of the standard pages they created."""

    name = "portal"
    verbose_name = "portal"

    def ready(self):
        from core.page_cache import connect_invalidation
        from portal import (
            checks,  # noqa: F401 (registers the deployment checks)
            privacy,  # noqa: F401 (registers the erasure rule of its model)
        )

        connect_invalidation()
