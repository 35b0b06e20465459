"""Errors a user fixes by changing configuration or input; the CLI prints their message as one line."""
from __future__ import annotations


class ConfigError(Exception):
    """A setting is missing, malformed or unsafe. The message names it and says what to do."""
