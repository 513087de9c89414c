"""The program's reports per cohort and year on year, and data retention: when a cohort's
personal data is erased, and the figures kept of it afterwards."""
