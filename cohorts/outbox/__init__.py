"""The outbox: every e-mail of the program is written here before it is sent, claimed
atomically and sent at most once, with retries and a screen for coordinators."""
