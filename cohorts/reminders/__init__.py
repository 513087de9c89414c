"""The program's reminders: built-in wording, what is due on a day, and rendering.

The writes (the outbox, opt-outs, check-in answers, announcements) are in
cohorts.outbox.services and cohorts.reminders.services.reminders.
"""
