"""The messages of the application's rules: the services refuse with them, and the forms
show the same words when they check a field before the services do."""

from cohorts.program.models.applications import MENTEE_CAPACITY_MAX

ROLE_INVALID = "Choose mentor, mentee or both."
CAPACITY_OUT_OF_RANGE = f"Enter a number of mentees from 1 to {MENTEE_CAPACITY_MAX}."
YEARS_OUT_OF_RANGE = "Enter a whole number of years from 0 to 70."
UNKNOWN_CHOICE = "Choose one of the options in the list."
# The same sentence in Django's placeholders, for form fields' max_length messages.
TOO_LONG_FORM = "Use at most %(limit_value)d characters (you used %(show_value)d)."
