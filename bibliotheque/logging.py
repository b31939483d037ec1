"""Structured logs: one JSON object per line on standard output.

Enabled with DJANGO_LOG_FORMAT=json (settings) and always used by gunicorn's access log
(gunicorn.conf.py). Log shippers split on line breaks, so every value a user controls (paths,
query strings, search words, user names) must stay inside one line: JSON escapes C0 control
characters, and `dumps` also escapes the other characters that some tools take as line breaks
(DEL, C1 controls such as NEL, U+2028 and U+2029). A forged « INFO admin logged in » line
(a forged log line, say) thus stays an escaped part of one field.
"""

import datetime
import json
import logging
import re

# Characters json.dumps(ensure_ascii=False) leaves raw but some readers treat as line breaks.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_RECORD_ATTRIBUTES = frozenset(
    logging.makeLogRecord({}).__dict__.keys() | {"message", "asctime", "taskName"}
)


def _escape(match):
    return f"\\u{ord(match.group()):04x}"


def dumps(data):
    """Serialise `data` as one line of JSON, whatever characters its strings hold."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return _UNSAFE.sub(_escape, text)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line: UTC time, level, logger, message and context."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django's request and server loggers attach the request and the status code.
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", None)
            entry["path"] = request.path
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in entry and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return dumps(entry)
