"""The program's reminders: the editors' wording, what is due on a day and to whom, the
dispatcher, rendering into e-mails, signed links, members' opt-out choices, the chair's
check-ins and coordinators' announcements. Messages go out through ``cohorts.outbox``."""
