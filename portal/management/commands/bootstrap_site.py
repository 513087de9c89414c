from django.core.management.base import BaseCommand

from portal.site_structure import site_bootstrap


class Command(BaseCommand):
    help = (
        "Create the portal's own structure on a new database: the program overview as the "
        "home page, resources, news, about, cohorts (next year's as a draft), contact, how "
        "to apply, privacy notice, accessibility statement and dashboard pages, site "
        "settings, areas of interest and reminder wording. No account and no personal data. "
        "Run it after every upgrade: on a site that already runs the portal it adds, published, "
        "the standard pages of the new release that the site never had. Safe on every deploy: "
        "only what is missing is created, a standard page is created once (one an editor "
        "deleted stays deleted), and nothing an editor made or changed is touched."
    )

    def handle(self, *args, **options):
        report = site_bootstrap()
        if not report.created:
            self.stdout.write("The site's structure is already in place; nothing changed.")
            return
        for label in report.created:
            self.stdout.write(f"created {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Site structure built ({len(report.created)} items).")
        )
