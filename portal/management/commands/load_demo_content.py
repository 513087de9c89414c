from django.core.management.base import BaseCommand, CommandError

from portal.demo_content import demo_content_load


class Command(BaseCommand):
    help = (
        "Create the demo site (program overview, pages, resources, news, contact form, "
        "demo accounts). Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even where DEMO_CONTENT_ALLOWED is off."
        )

    def handle(self, *args, force=False, **options):
        try:
            report = demo_content_load(force=force)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        if not report.created:
            self.stdout.write("Demo content is already in place; nothing changed.")
            return
        for label in report.created:
            self.stdout.write(f"created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo content loaded ({len(report.created)} items).")
        )
