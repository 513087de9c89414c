"""The limits and messages of the members' e-mail pages: the services refuse with them, and
the forms show the same words when they check a field before the services do."""

COMMENT_MAX_LENGTH = 1000
UNKNOWN_ANSWER = "Choose one of the three answers."
COMMENT_TOO_LONG = f"Keep your comment to {COMMENT_MAX_LENGTH:,} characters or fewer."
COMMENT_NULL_CHARACTER = "A comment cannot contain null characters; remove them and try again."
