"""Published pairs: who may see a pair (``pair_for_member``), its shared record (contacts,
agreement, goals, requests for help and for a change of partner), confidential notes and
their encryption, the members' dashboard, the coordinators' pairs screens and the mentor's
letter of service."""
