"""Matching: the pure engine (``engine``, no database), the suggestions it makes for a
cohort, and the coordinators' workspace where pairs are confirmed and published."""
