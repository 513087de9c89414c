import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from portal.health import WATCHED, health_report, schedule_liveness


class Command(BaseCommand):
    help = (
        "Print what /healthz answers, as JSON, and exit 1 when it is unhealthy; with --only, "
        "check one scheduled task alone (the worker container's health check runs "
        "`health --only worker`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=sorted(WATCHED),
            help="Check only this: worker (the heartbeat), scheduler (the dispatcher) or backup.",
        )

    def handle(self, *args, only=None, **options):
        if only is None:
            body, healthy = health_report()
        else:
            name, successes_only = WATCHED[only]
            try:
                body = schedule_liveness(name=name, successes_only=successes_only)
            except DatabaseError as error:
                raise CommandError(f"The database cannot be reached: {error}") from error
            healthy = body["status"] == "ok"
        self.stdout.write(json.dumps(body))
        if not healthy:
            raise CommandError("Unhealthy.")
