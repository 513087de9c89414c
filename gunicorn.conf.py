"""Gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Everything a deployment tunes comes from the environment (see .env.example); the rest are
fixed choices for running one container behind a TLS-terminating reverse proxy.
"""

import gc
import os


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count() -> int:
    # The CPUs this process may run on (respects taskset/cpusets, unlike os.cpu_count()).
    # A container's CPU *quota* is not visible here: set WEB_CONCURRENCY under a quota.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Inside a container the proxy reaches us from another address, so listen on all interfaces.
bind = f"0.0.0.0:{_int_env('PORT', 8000)}"

# The usual 2 x cores + 1, capped: each worker holds a full Django/Wagtail process in memory,
# and a large host should not start dozens of them by surprise. (Gunicorn itself parses
# WEB_CONCURRENCY on import, so it must be unset or a number, never empty.)
workers = _int_env("WEB_CONCURRENCY", min(2 * _cpu_count() + 1, 8))
# One thread: gunicorn's sync worker, each process serving one request at a time and
# taking the next from the shared listening socket, so a busy process never holds requests
# while another is idle. The portal's pages are CPU-bound, and the proxy in front (Caddy in
# compose.yaml) buffers request and response bodies, so a slow client holds no worker.
# Without such a proxy, set GUNICORN_THREADS above 1 for the threaded worker. (Measured with
# benchmarks/web.py: 2 threads held keep-alive connections on busy workers and quadrupled
# the dashboard's p99.)
threads = _int_env("GUNICORN_THREADS", 1)

# A worker silent this long is killed and replaced; Wagtail image uploads (renditions)
# need more than gunicorn's 30 s default.
timeout = _int_env("GUNICORN_TIMEOUT", 60)
# Time for in-flight requests after SIGTERM; below `docker stop`'s default 10 s grace so
# requests finish before a SIGKILL.
graceful_timeout = 8
# With GUNICORN_THREADS above 1, keep the proxy's connections open between requests (the
# sync worker closes each after its response).
keepalive = 5
# The application is loaded once, in the master, before the workers are forked: a new or
# recycled worker starts in milliseconds instead of importing Django and Wagtail again (a
# second of CPU that would stall the requests queued behind it), and the workers share the
# loaded code's memory. A deploy starts new containers, so reloading code in place is not
# needed.
preload_app = True


def when_ready(server):
    """In the master, with the application loaded and before any worker is forked: import,
    resolve and compile what each worker would otherwise do on its first requests
    (portal/warmup.py; a template that does not compile stops the start here). Then move
    everything loaded so far out of the garbage collector's sight (gc.freeze): the workers
    inherit a few hundred thousand objects that live as long as they do, and a full
    collection walking them all stalled a worker for a few hundred milliseconds now and
    then (benchmarks/web.py: the dashboard's p99 went from 350-850 ms to under 140 ms)."""
    if not server.cfg.preload_app:
        return
    from portal.warmup import warm_up

    server.log.info("Warmed up: %(modules)d modules, %(templates)d templates", warm_up())
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """A worker never shares the master's database connection (loading the application opens
    none, but a connection inherited across fork would corrupt both sides' traffic)."""
    from django.db import connections

    connections.close_all()


# Recycle workers now and then so a slow memory leak cannot grow without bound; rarely
# enough that a busy site does not spend its time starting workers.
max_requests = 10_000
max_requests_jitter = 1_000
# The heartbeat file lives in memory: on an overlay filesystem it can stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Logs go to stdout/stderr for the container runtime to collect.
accesslog = "-"
errorlog = "-"
# Behind the proxy the peer address is the proxy's: log the client from X-Forwarded-For
# first, and the request duration last.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
# Each access-log line goes out with the tokens some addresses carry (password reset, e-mail
# confirmation, check-in and unsubscribe links) replaced by "[redacted]": anyone reading the
# log could otherwise use them (portal/log_redaction.py).
logger_class = "portal.log_redaction.AccessLogger"

# Gunicorn 25.1+ opens a control socket at one fixed path per user
# ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl), so a second instance (another port, the
# CI, a blue/green deploy) would collide with the first. Nothing here uses gunicornc.
control_socket_disable = True

# Trust X-Forwarded-Proto only from the reverse proxy: FORWARDED_ALLOW_IPS, the proxy's
# address or network (compose.yaml gives Caddy a fixed address), the same variable the
# portal reads to believe X-Forwarded-For (core/clients.py). The default is a proxy on this
# machine; "*" trusts any peer, so a client reaching the port directly could forge them.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
# The portal is served at the site root, so no proxy needs to pass SCRIPT_NAME/PATH_INFO;
# with a trust-everyone default a client could otherwise set them.
forwarder_headers = ""

# --- JSON logs (ops) ---
# With LOG_FORMAT=json, gunicorn's own lines (its errors and the access log) are JSON
# objects too, one per line with the time in UTC, like the portal's (portal/log_format.py).
if (os.environ.get("LOG_FORMAT") or "plain").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.log_format.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
# --- end JSON logs ---
