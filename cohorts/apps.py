from django.apps import AppConfig


class CohortsConfig(AppConfig):
    """The yearly program: cohorts and their timeline, applications, matching and pairs."""

    name = "cohorts"
    verbose_name = "mentoring"

    def ready(self):
        from django.db.models.signals import post_migrate

        from cohorts import privacy  # noqa: F401 (registers the erasure and export steps)
        from cohorts.matching.services import matching_settings_copy
        from cohorts.outbox.services import outbox_membership_decision, outbox_renderer_set
        from cohorts.pairs.selectors.needs import pair_needs_register
        from cohorts.pairs.views.menu import member_menu_links
        from cohorts.program.services.cohorts import cohort_copy_step_register
        from cohorts.reminders.rendering import Renderer
        from cohorts.reminders.selectors import checkins_to_answer
        from cohorts.reminders.services.wording import reminder_wording_after_migrate
        from core.menu import member_menu_register
        from members.services.notifications import membership_decision_teller_set

        # Lower features reach higher ones only through what is registered here.
        outbox_renderer_set(Renderer)
        cohort_copy_step_register(matching_settings_copy)
        member_menu_register(member_menu_links)
        pair_needs_register(checkins_to_answer)
        membership_decision_teller_set(outbox_membership_decision)
        # Every kind of e-mail gets the editors' snippet, on an upgraded database too.
        post_migrate.connect(reminder_wording_after_migrate, sender=self)
