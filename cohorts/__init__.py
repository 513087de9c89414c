"""The program year (the ``cohorts`` app): one package per feature, each building only on
the ones listed after it (import-linter checks it):

- ``reports``: the program's reports, year on year, and data retention (the figures kept
  once a cohort's personal data is erased);
- ``reminders``: the wording, what is due and to whom, rendering, signed links, opt-out
  choices, the chair's check-ins and announcements;
- ``matching``: the pure matching engine, the suggestions and the coordinators' workspace;
- ``pairs``: published pairs and their record, confidential notes and their encryption, the
  members' dashboard, the pairs screens and the letter of service;
- ``program``: cohort pages and their timeline, applications and their review, calendars,
  copying a cohort to next year;
- ``outbox``: every e-mail of the program, recorded before it is sent and sent at most once;
- ``choices``: the program's vocabulary (stages, roles, statuses, kinds of reminder).

Every model keeps the ``cohorts`` app label: ``cohorts/models.py`` gathers the features'
models for Django, and ``CohortsConfig.ready`` wires a lower feature to a higher one where
it needs it (the outbox's renderer, the steps of copying a cohort).
"""
