"""The messages of the contact form's rules: the services refuse with them, and the form
shows the same words when it checks a field first."""

CONTACT_MESSAGE_TOO_LONG = "Keep your message under {limit:,} characters (it has {length:,})."
CONTACT_TOO_MANY = (
    "You have sent {limit} messages in the last hour, the most one connection may send. "
    "You can send another after {time}; nothing was sent this time."
)
CONTACT_TRAP_LABEL = "Leave this field empty"


class ContactLimitReached(Exception):
    """This client sent as many messages as it may this hour; nothing was stored."""
