"""What the pair dashboard serves: the member's pairs, each pair's page (partner, progress,
contact log, agreement and goals, the year) and its own pages (notes, help from the
subcommittee, change of partner).

Every route goes through ``member_route``: visitors who are not logged in go to log in and
come back; the pair is found with ``pair_for_member``, the one rule of who sees a pair, and
anyone else gets the site's 404 page, so nobody learns that a pair exists; and every response
is ``Cache-Control: private, no-store``. Forms follow the application page
(cohorts/program/views/applications.py): a valid POST calls a service and redirects back with a
message (POST, redirect, GET); invalid input re-renders the page with the messages next to
the fields and writes nothing. The rules live in ``cohorts.pairs.services.pairs`` and
``cohorts.pairs.services.notes``.

Split by kind: ``base`` (the pair seen from one side, the guarded route, rendering and
posting), ``progress``, ``pair`` (the dashboard, the pair's page, contacts, agreement, goals,
the choice after the formal end), ``notes``, ``requests`` (help and a change of partner) and
``routing`` (which view serves each section).
"""

from cohorts.pairs.views.dashboard.base import (
    READ_METHODS,
    TEMPLATES,
    UNKNOWN_ACTION,
    PairSide,
    get_side,
    member_route,
    render_confirm,
    render_side,
)
from cohorts.pairs.views.dashboard.notes import (
    NOTE_ADDED_PRIVATE,
    NOTE_ADDED_SHARED,
    NOTE_DELETED,
    NOTE_SAVED,
    NOTE_SHARED,
    NOTE_UNSHARED,
    NoteRow,
    note_delete_section,
    note_edit_section,
    note_share_section,
    notes_section,
)
from cohorts.pairs.views.dashboard.pair import (
    AGREEMENT_SAVED,
    CONTACT_ADDED,
    CONTACT_DELETED,
    CONTACT_METHOD_LABELS,
    CONTACT_SAVED,
    CONTINUING,
    GOAL_ADDED,
    GOAL_DELETED,
    GOAL_DONE,
    GOAL_NOT_DONE,
    LETTER_NAMED,
    LETTER_UNNAMED,
    PAIR_CLOSED,
    SIDE_CLOSED,
    agreement_section,
    contact_delete_section,
    contact_edit_section,
    contacts_section,
    dashboard_index,
    end_section,
    goal_section,
    goals_section,
    letter_name_section,
    pair_detail,
    render_pair,
)
from cohorts.pairs.views.dashboard.progress import PACE, ProgressSummary, progress_summary
from cohorts.pairs.views.dashboard.requests import (
    CHANGE_ANSWERS,
    CHANGE_ASKED,
    CHANGE_CONSENTED,
    CHANGE_DECLINED,
    CHANGE_WITHDRAWN,
    SUPPORT_SENT,
    change_section,
    support_section,
)
from cohorts.pairs.views.dashboard.routing import SECTIONS, pair_section

__all__ = [
    "AGREEMENT_SAVED",
    "CHANGE_ANSWERS",
    "CHANGE_ASKED",
    "CHANGE_CONSENTED",
    "CHANGE_DECLINED",
    "CHANGE_WITHDRAWN",
    "CONTACT_ADDED",
    "CONTACT_DELETED",
    "CONTACT_METHOD_LABELS",
    "CONTACT_SAVED",
    "CONTINUING",
    "GOAL_ADDED",
    "GOAL_DELETED",
    "GOAL_DONE",
    "GOAL_NOT_DONE",
    "LETTER_NAMED",
    "LETTER_UNNAMED",
    "NOTE_ADDED_PRIVATE",
    "NOTE_ADDED_SHARED",
    "NOTE_DELETED",
    "NOTE_SAVED",
    "NOTE_SHARED",
    "NOTE_UNSHARED",
    "PACE",
    "PAIR_CLOSED",
    "READ_METHODS",
    "SECTIONS",
    "SIDE_CLOSED",
    "SUPPORT_SENT",
    "TEMPLATES",
    "UNKNOWN_ACTION",
    "NoteRow",
    "PairSide",
    "ProgressSummary",
    "agreement_section",
    "change_section",
    "contact_delete_section",
    "contact_edit_section",
    "contacts_section",
    "dashboard_index",
    "end_section",
    "get_side",
    "goal_section",
    "goals_section",
    "letter_name_section",
    "member_route",
    "note_delete_section",
    "note_edit_section",
    "note_share_section",
    "notes_section",
    "pair_detail",
    "pair_section",
    "progress_summary",
    "render_confirm",
    "render_pair",
    "render_side",
    "support_section",
]
