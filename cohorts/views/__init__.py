"""What cohort pages serve: the application flow and the calendar file."""
