"""Choices shared by members, applications and pairs."""

from django.db import models


class LibraryType(models.TextChoices):
    ACADEMIC = "academic", "Academic"
    PUBLIC = "public", "Public"
    SCHOOL = "school", "School"
    SPECIAL = "special", "Special"
    VENDOR = "vendor", "Vendor"
    LIS_EDUCATION = "lis_education", "LIS education"
    OTHER = "other", "Other"


class CareerStage(models.TextChoices):
    STUDENT = "student", "LIS student"
    EARLY = "early", "Early career (under 5 years)"
    MID = "mid", "Mid-career (5 to 15 years)"
    SENIOR = "senior", "Senior (over 15 years)"


class ContactMethod(models.TextChoices):
    VIRTUAL = "virtual", "Virtual (video call)"
    TELEPHONE = "telephone", "Telephone"
    EMAIL = "email", "E-mail"
    FACE_TO_FACE = "face_to_face", "Face-to-face"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Pending verification"
    VERIFIED = "verified", "Verified member"
    DECLINED = "declined", "Not verified"


class VerificationMethod(models.TextChoices):
    ROSTER = "roster", "Matched the roster"
    COORDINATOR = "coordinator", "Verified by a coordinator"
    SIGN_ON = "sign_on", "Confirmed by the association's sign-on"
