"""Tasks of the portal as a whole (django-q2)."""


def worker_heartbeat() -> str:
    """Do nothing and succeed: run every minute by the "Worker heartbeat" schedule, its last
    success in django-q2's results is the proof /healthz reads that a worker is running."""
    return "alive"
