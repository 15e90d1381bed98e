"""The choices the command line offers for the report, kept apart so that `audit --help` needs no polars."""

#: What standard output can hold: the screen, or the facts (or claims) as CSV, JSON or JSON Lines.
FORMATS = ("table", "csv", "json", "jsonl")
#: The screen shows at most this many facts (or claims) unless asked for more.
DEFAULT_LIMIT = 25
