from django.core.management.base import BaseCommand, CommandError

from portal.demo_content import demo_content_load
from portal.demo_large import demo_large_load


class Command(BaseCommand):
    help = (
        "Create the demo site (program overview, pages, resources, news, contact form, "
        "demo accounts). Safe to run again: only what is missing is created. With --size "
        "large, add a realistic year at full size (300 members, 250 applications to match, "
        "100 pairs under way with their contacts and check-ins)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even where DEMO_CONTENT_ALLOWED is off."
        )
        parser.add_argument(
            "--size",
            choices=["small", "large"],
            default="small",
            help="large: add a year at full size (portal/demo_large.py).",
        )

    def handle(self, *args, force=False, size="small", **options):
        try:
            report = demo_content_load(force=force)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        created = list(report.created)
        if size == "large":
            created += demo_large_load()
        if not created:
            self.stdout.write("Demo content is already in place; nothing changed.")
            return
        for label in created:
            self.stdout.write(f"created {label}")
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(created)} items)."))
