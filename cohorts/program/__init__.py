"""The program year's frame: cohort pages and their timeline (``cohort_stage``), the
members' applications and their review, calendar files, copying a cohort to next year, and
the port through which the features reach the cohort's surveys."""
