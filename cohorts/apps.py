from django.apps import AppConfig


class CohortsConfig(AppConfig):
    """The yearly program: cohorts and their timeline, applications, matching and pairs."""

    name = "cohorts"
    verbose_name = "mentoring"

    def ready(self):
        from cohorts import privacy  # noqa: F401 (registers the erasure and export steps)
        from cohorts.outbox.services import outbox_renderer_set
        from cohorts.reminders.rendering import Renderer

        outbox_renderer_set(Renderer)
