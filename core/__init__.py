"""Site-wide machinery every app builds on, with no models and no imports from the apps: the
page cache and its content-change signals, formatting, spreadsheet safety, admin base
classes, the coordinators' menu registry and enqueueing tasks after a commit."""
