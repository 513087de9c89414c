"""Log formats: one line per event, timestamps in UTC.

``JsonFormatter`` (LOG_FORMAT=json) writes each event as one JSON object on one line, for a
log collector; ``UtcFormatter`` (the default) writes plain text. Both give the time in UTC,
whatever TIME_ZONE says, so lines from every process and host sort together. Neither adds
anything an event did not carry: what is logged stays the caller's choice, and no caller
logs a note's text or a token.
"""

import json
import logging
import time
from datetime import UTC, datetime

# Attributes of a log record that a JSON line carries when a caller set them (Django's
# request logger sets status_code).
EXTRA_FIELDS = ("status_code",)


class UtcFormatter(logging.Formatter):
    """Plain text with ISO 8601 times in UTC: ``2027-01-05T02:00:00.123Z INFO name text``."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, process id, and the
    exception's traceback (without the values of its variables) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
