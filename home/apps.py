from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The public site: home page, content pages, contact form, site settings, navigation."""

    name = "home"
    verbose_name = "site"
