"""Structured JSON logs (one object a line, as CloudWatch Logs Insights likes them)."""

from __future__ import annotations

import json
import logging
import sys
import time

_LOGGER_NAME = "union_events"


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname,
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def get_logger() -> logging.Logger:
    logger = logging.getLogger(_LOGGER_NAME)
    if not logger.handlers:
        # Configured on first use rather than at import, so importing the app has no side effects.
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(_JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def log(level: int, event: str, *, exc_info: bool = False, **fields: object) -> None:
    get_logger().log(level, event, exc_info=exc_info, extra={"fields": fields})
