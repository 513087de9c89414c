"""Logs: one line per event, in UTC; JSON objects with LOG_FORMAT=json."""

import json
import logging
import sys

from portal.log_format import JsonFormatter, UtcFormatter


def record(message: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    """A log record made at 2027-01-05 02:00:00.250 UTC."""
    made = logging.LogRecord("portal.test", logging.ERROR, __file__, 1, message, args, exc_info)
    made.created, made.msecs = 1799114400.25, 250.0
    made.__dict__.update(extra)
    return made


def test_a_json_line_per_event_with_the_time_in_utc(local_time_in_chicago):
    try:
        raise ValueError("boom")
    except ValueError:
        failure = sys.exc_info()

    line = JsonFormatter().format(
        record("first line\nsecond %s", "line", exc_info=failure, status_code=500)
    )

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["time"] == "2027-01-05T02:00:00.250Z"
    assert entry["level"] == "ERROR" and entry["logger"] == "portal.test"
    assert entry["message"] == "first line\nsecond line"
    assert entry["status_code"] == 500
    assert entry["exception"].startswith("Traceback") and "ValueError: boom" in entry["exception"]


def test_plain_lines_carry_the_time_in_utc(local_time_in_chicago):
    formatter = UtcFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    assert formatter.format(record("hello")) == (
        "2027-01-05T02:00:00.250Z ERROR portal.test hello"
    )
