from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """Resources for mentors and mentees (guides, templates, documents, links) and news."""

    name = "resources"
    verbose_name = "resources"
