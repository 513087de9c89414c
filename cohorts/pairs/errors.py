"""The messages of the pair's rules: the services refuse with them, and the forms show the
same words when they check a field before the services do."""

from cohorts.pairs.models.relationship import (
    CONTACT_MINUTES_MAX,
    CONTACT_MINUTES_MIN,
    GOAL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
)

MINUTES_OUT_OF_RANGE = (
    f"A contact lasts from {CONTACT_MINUTES_MIN} to {CONTACT_MINUTES_MAX} minutes "
    f"({CONTACT_MINUTES_MAX // 60} hours)."
)
UNKNOWN_METHOD = "Choose how you met from the list."
UNKNOWN_CONFERENCE = "Choose Midwinter, Annual or neither."
SUMMARY_TOO_LONG = f"Keep the summary under {SUMMARY_MAX_LENGTH} characters."
GOAL_EMPTY = "Write the goal first."
GOAL_TOO_LONG = f"Keep a goal under {GOAL_MAX_LENGTH} characters."
FREQUENCY_TOO_LONG = "Keep how often you meet under 200 characters."
MESSAGE_EMPTY = "Write your message first."
MESSAGE_TOO_LONG = f"Keep your message under {MESSAGE_MAX_LENGTH} characters."
UNKNOWN_CHOICE = "Choose to continue informally or to close your side."
LETTER_NAME_UNKNOWN = "Choose whether your name appears in the letter."
# Why a pair closed to a member (``pair_open_to``) refuses a change: it ended for both, or
# the member closed their side after the formal end.
PAIR_ENDED = "This pair has ended: its record stays here for you to read, but no longer changes."
PAIR_READ_ONLY = (
    "This pair is closed: its record stays here for you to read, and nothing more can be "
    "added to it."
)
# Why a pair still open to a member refuses what would add to their partner's view: the
# partner closed their side after the formal end (``pair_shared_open_to``).
PARTNER_CLOSED_RECORD = (
    "{partner} has closed their side of the pair, so its shared record (contact log, goals "
    "and agreement) stays as it is. Your private notes are still yours to write."
)
PARTNER_CLOSED_NOTES = (
    "{partner} has closed their side of the pair, so nothing more can be shared with them: "
    "the notes you shared stay as they are. You can still write private notes, or make a "
    "shared note private."
)
PARTNER_CLOSED_CHANGE = (
    "{partner} has closed their side of the pair, so a change of partner, which needs their "
    "consent, can no longer be asked for."
)
DAY_FULL = (
    "A pair logs at most {hours} hours of contact on one day, both of you together. "
    "{date:%B %-d, %Y} already has {logged} logged, so {left} can still be added."
)
HELP_TOO_MANY = (
    "You have asked for help {limit} times today, the most one member may in a day. "
    "You can ask again after {time}; this message was not sent."
)
CHANGE_TOO_MANY = (
    "You have asked for a change of partner {limit} times today, the most one member may "
    "in a day. You can ask again after {time}."
)

NOTE_EMPTY = "Write the note first."
