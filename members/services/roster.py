"""The membership roster import: read a CSV export, preview what it would change, apply it.

The file's first line names the columns, in any order and case, with spaces or hyphens
for underscores: member_number, email, first_name, last_name, membership_expires. Other
columns are ignored (the preview lists them). Line numbers count the header as line 1, as
a spreadsheet does.

The rules, chosen so that nothing is imported that a coordinator did not see:

- The preview writes nothing. Apply writes exactly the previewed rows in one transaction,
  and refuses (``ROSTER_CHANGED``) if the roster changed since the preview was made.
- The roster is additive: entries that are not in the file are kept, never deleted. Expiry
  dates, not presence in the latest export, decide who is a member.
- A member number on more than one line rejects every one of those lines, and so does an
  e-mail address on more than one line: which line is right is for the membership staff
  to say, and picking one silently could attach someone's address to another's number.
- An e-mail address that another member number holds on the roster, and keeps after this
  import, is rejected: verification matches accounts by e-mail.
- Dates are YYYY-MM-DD or the US M/D/YYYY that spreadsheets write. Anything else (day
  first, two-digit years, impossible dates such as 2027-02-30) is rejected, not guessed.
- A value starting with =, +, -, @, a tab or a carriage return is rejected rather than
  escaped: a spreadsheet would run it as a formula (CSV injection), and a roster export
  has no reason to contain one. So are control characters and over-long values.
- Member numbers are trimmed and upper-cased (m100001 is M100001); e-mail addresses are
  trimmed and lower-cased; names are trimmed.
"""

import codecs
import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.spreadsheets import looks_like_formula
from members.choices import MembershipStatus
from members.models import MemberProfile, MemberRoster
from members.services.verification import member_verify_from_roster

COLUMNS = ("member_number", "email", "first_name", "last_name", "membership_expires")
LABELS = {
    "member_number": "member number",
    "email": "e-mail",
    "first_name": "first name",
    "last_name": "last name",
    "membership_expires": "membership expiry",
}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_LENGTHS = {name: MemberRoster._meta.get_field(name).max_length for name in COLUMNS[:4]}
MAX_LENGTHS["membership_expires"] = 10

# File-level errors: the whole file is refused.
FILE_TOO_LARGE = "The file is larger than {limit_mb} MB. Split it into smaller files."
TOO_MANY_ROWS = "The file has more than {limit:,} rows. Split it into smaller files."
FILE_EMPTY = "The file is empty."
NOT_TEXT = "The file is not readable text. In your spreadsheet, save it as “CSV UTF-8”."
NOT_CSV = "Line {line} could not be read as CSV; look for an unclosed quotation mark."
MISSING_COLUMNS = (
    "The first line of the file must name these columns: member_number, email, "
    "first_name, last_name, membership_expires. Missing: {missing}."
)
DUPLICATE_COLUMN = "The column {column} is named more than once in the first line."

# Row-level reasons: the row is rejected, the others are imported.
MISSING_NUMBER = "The member number is missing."
BAD_EMAIL = "The e-mail address is missing or not valid."
BAD_DATE = (
    "The membership expiry date is missing or not a real date; write it as YYYY-MM-DD or M/D/YYYY."
)
DUPLICATE_NUMBER = "Member number {number} is on more than one line ({lines}); none is imported."
DUPLICATE_EMAIL = "E-mail address {email} is on more than one line ({lines}); none is imported."
EMAIL_TAKEN = "E-mail address {email} belongs to member number {number} on the roster."
NUMBER_TAKEN = "Member number {number} is already on the roster."
LOOKS_LIKE_FORMULA = (
    "The {column} starts with =, +, -, @, a tab or a line break, which a spreadsheet "
    "would run as a formula."
)
TOO_LONG = "The {column} is longer than {limit} characters."
CONTROL_CHARACTER = "The {column} contains a control character."

# Apply-time error: the preview no longer describes the roster.
ROSTER_CHANGED = "The roster changed since this preview was made; preview the file again."

# Bidirectional embeddings, overrides and isolates can make a value display as something
# else (e.g. "exe.png" shown for "gnp.exe"); names have no need of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
HEADER_ALIASES = {"e_mail": "email"}


class RosterImportError(ValueError):
    """The file cannot be imported at all; the message says why."""


class RosterChangedError(RosterImportError):
    """The roster changed between preview and apply; nothing was written."""


@dataclass(frozen=True)
class RosterRow:
    """One valid line of the file, normalised."""

    line: int
    member_number: str
    email: str
    first_name: str
    last_name: str
    membership_expires: datetime.date

    @property
    def values(self) -> dict:
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str | datetime.date
    new: str | datetime.date


@dataclass(frozen=True)
class RosterUpdate:
    """A roster entry the file changes, with each changed field's old and new value."""

    entry_id: int
    row: RosterRow
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RejectedRow:
    """A line that is not imported: its raw values (in COLUMNS order) and every reason."""

    line: int
    values: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def shown_values(self) -> tuple[str, ...]:
        """The raw values made safe to show: control characters spelled out, long ones cut."""
        return tuple(_shown(value) for value in self.values)


@dataclass(frozen=True)
class RosterPreview:
    """What importing the file would do; nothing has been written."""

    to_add: tuple[RosterRow, ...]
    to_update: tuple[RosterUpdate, ...]
    unchanged: int
    rejected: tuple[RejectedRow, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_update)

    @property
    def digest(self) -> str:
        """A fingerprint of this preview: equal digests mean the same changes."""
        content = repr((self.to_add, self.to_update, self.unchanged, self.rejected))
        return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class RosterImportResult:
    added: int
    updated: int
    verified: int

    @property
    def summary(self) -> str:
        accounts = "account" if self.verified == 1 else "accounts"
        return (
            f"Roster imported: {self.added} added, {self.updated} updated; "
            f"{self.verified} pending {accounts} verified."
        )


def roster_csv_decode(*, data: bytes) -> str:
    """The text of an uploaded roster file: UTF-8 (with or without BOM), UTF-16, or Windows."""
    if len(data) > MAX_FILE_BYTES:
        raise RosterImportError(FILE_TOO_LARGE.format(limit_mb=MAX_FILE_BYTES // 1024**2))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        # Not UTF-8 and has NUL bytes: a spreadsheet (.xlsx) or other binary file.
        raise RosterImportError(NOT_TEXT)
    return _decode(data, "cp1252")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise RosterImportError(NOT_TEXT) from error


def roster_import_preview(*, text: str) -> RosterPreview:
    """What importing this CSV text would add, update and reject. Writes nothing.

    Raises RosterImportError when the file as a whole cannot be read.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise RosterImportError(FILE_TOO_LARGE.format(limit_mb=MAX_FILE_BYTES // 1024**2))
    raw_rows, ignored = _read_rows(text.removeprefix("\ufeff"))
    cleaned = {line: _clean(values) for line, values in raw_rows}
    reasons = {line: list(row_reasons) for line, (_, row_reasons) in cleaned.items()}
    _reject_duplicates(cleaned, reasons, "member_number", DUPLICATE_NUMBER, "number")
    _reject_duplicates(cleaned, reasons, "email", DUPLICATE_EMAIL, "email")
    accepted = {
        line: RosterRow(line=line, **fields)
        for line, (fields, _) in cleaned.items()
        if not reasons[line]
    }
    roster = list(MemberRoster.objects.order_by("pk"))
    _reject_taken_emails(accepted, reasons, roster)
    return _compare(raw_rows, accepted, reasons, _by_number(roster), ignored)


def roster_import_apply(*, preview: RosterPreview) -> RosterImportResult:
    """Write a preview's additions and updates in one transaction, then verify the pending
    accounts they match.

    Raises RosterChangedError, writing nothing, when the roster no longer matches the
    preview (another import or an edit came in between).
    """
    try:
        with transaction.atomic():
            _check_unchanged(preview)
            _write(preview)
            rows = [*preview.to_add, *(update.row for update in preview.to_update)]
            verified = _verify_pending(rows)
    except IntegrityError as error:
        raise RosterChangedError(ROSTER_CHANGED) from error
    return RosterImportResult(len(preview.to_add), len(preview.to_update), verified)


# Reading


def _read_rows(text: str) -> tuple[list[tuple[int, tuple[str, ...]]], tuple[str, ...]]:
    """The data rows as (line number, values in COLUMNS order), and the ignored columns."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, positions, ignored = None, {}, ()
    rows, previous_end = [], 0
    try:
        for values in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = values
                positions, ignored = _columns(header)
                continue
            if len(rows) >= MAX_ROWS:
                raise RosterImportError(TOO_MANY_ROWS.format(limit=MAX_ROWS))
            rows.append((line, _pick(values, positions)))
    except csv.Error as error:
        raise RosterImportError(NOT_CSV.format(line=reader.line_num)) from error
    if header is None:
        raise RosterImportError(FILE_EMPTY)
    return rows, ignored


def _columns(header: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """Where each expected column is, and the names of the columns that are ignored."""
    positions, ignored = {}, []
    for index, name in enumerate(header):
        key = re.sub(r"[\s_-]+", "_", name.strip().lower())
        key = HEADER_ALIASES.get(key, key)
        if key not in COLUMNS:
            ignored.append(name.strip())
        elif key in positions:
            raise RosterImportError(DUPLICATE_COLUMN.format(column=key))
        else:
            positions[key] = index
    missing = [name for name in COLUMNS if name not in positions]
    if missing:
        raise RosterImportError(MISSING_COLUMNS.format(missing=", ".join(missing)))
    return positions, tuple(name for name in ignored if name)


def _pick(values: list[str], positions: dict[str, int]) -> tuple[str, ...]:
    return tuple(
        values[positions[name]] if positions[name] < len(values) else "" for name in COLUMNS
    )


# Checking one row


def _clean(values: tuple[str, ...]) -> tuple[dict, list[str]]:
    """The row's normalised values that passed their checks, and the reasons it fails."""
    fields, reasons = {}, []
    for name, raw in zip(COLUMNS, values, strict=True):
        value, problem = roster_value_clean(column=name, raw=raw)
        if problem:
            reasons.append(problem)
        else:
            fields[name] = value
    return fields, reasons


def roster_value_clean(*, column: str, raw: str) -> tuple[object, str]:
    """One roster value normalised, or the reason it is refused: the same rules for a CSV
    cell and for a value a coordinator types into the admin."""
    problem = _unsafe(column, raw)
    if problem:
        return None, problem
    return CLEANERS[column](raw.strip())


def _unsafe(name: str, raw: str) -> str:
    """Why a raw value may not be imported whatever its column, or an empty string."""
    label = LABELS[name]
    if looks_like_formula(raw):
        return LOOKS_LIKE_FORMULA.format(column=label)
    if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in raw):
        return CONTROL_CHARACTER.format(column=label)
    if len(raw.strip()) > MAX_LENGTHS[name]:
        if name == "membership_expires":
            return BAD_DATE
        return TOO_LONG.format(column=label, limit=MAX_LENGTHS[name])
    return ""


def _clean_number(value: str) -> tuple[str, str]:
    return (value.upper(), "") if value else ("", MISSING_NUMBER)


def _clean_email(value: str) -> tuple[str, str]:
    try:
        validate_email(value)
    except ValidationError:
        return "", BAD_EMAIL
    return value.lower(), ""


def _clean_name(value: str) -> tuple[str, str]:
    return value, ""


def _clean_date(value: str) -> tuple[datetime.date | None, str]:
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := US_DATE.fullmatch(value):
        month, day, year = match.groups()
    else:
        return None, BAD_DATE
    try:
        return datetime.date(int(year), int(month), int(day)), ""
    except ValueError:
        return None, BAD_DATE


CLEANERS = {
    "member_number": _clean_number,
    "email": _clean_email,
    "first_name": _clean_name,
    "last_name": _clean_name,
    "membership_expires": _clean_date,
}


def _shown(value: str, limit: int = 40) -> str:
    shown = "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS
        else char
        for char in value[: limit + 1]
    )
    return shown if len(value) <= limit else shown[:limit] + "…"


# Checking rows against each other and the roster


def _reject_duplicates(cleaned, reasons, field: str, message: str, placeholder: str) -> None:
    """Reject every line whose value for this field is also on another line."""
    lines_by_value = defaultdict(list)
    for line, (fields, _) in cleaned.items():
        if field in fields:
            lines_by_value[fields[field]].append(line)
    for value, lines in lines_by_value.items():
        if len(lines) > 1:
            text = message.format(**{placeholder: value, "lines": ", ".join(map(str, lines))})
            for line in lines:
                reasons[line].append(text)


def _reject_taken_emails(accepted: dict[int, RosterRow], reasons, roster) -> None:
    """Reject rows whose address another member number keeps on the roster after import.

    An entry keeps its address unless an accepted row gives it a new one; rejecting a row
    can make its entry keep an address another row wanted, hence the loop.
    """
    holders = defaultdict(set)
    for entry in roster:
        holders[entry.email.strip().lower()].add(entry.member_number.strip().upper())
    while True:
        renumbered = {row.member_number for row in accepted.values()}
        taken = {
            line: sorted(holders[row.email] - renumbered - {row.member_number})
            for line, row in accepted.items()
        }
        taken = {line: numbers for line, numbers in taken.items() if numbers}
        if not taken:
            return
        for line, numbers in taken.items():
            email = accepted.pop(line).email
            reasons[line].append(EMAIL_TAKEN.format(email=email, number=numbers[0]))


def _by_number(roster) -> dict[str, MemberRoster]:
    """Roster entries by upper-case member number; an exact-case entry wins a collision."""
    entries = {}
    for entry in roster:
        key = entry.member_number.strip().upper()
        if key not in entries or entry.member_number == key:
            entries[key] = entry
    return entries


def _changes(entry: MemberRoster, row: RosterRow) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, LABELS[name], getattr(entry, name), getattr(row, name))
        for name in COLUMNS
        if getattr(entry, name) != getattr(row, name)
    )


def _compare(raw_rows, accepted, reasons, roster_by_number, ignored) -> RosterPreview:
    to_add, to_update, unchanged = [], [], 0
    for row in accepted.values():
        entry = roster_by_number.get(row.member_number)
        if entry is None:
            to_add.append(row)
        elif changes := _changes(entry, row):
            to_update.append(RosterUpdate(entry.pk, row, changes))
        else:
            unchanged += 1
    rejected = tuple(
        RejectedRow(line, values, tuple(reasons[line]))
        for line, values in raw_rows
        if reasons[line]
    )
    return RosterPreview(tuple(to_add), tuple(to_update), unchanged, rejected, ignored)


# Writing


def _check_unchanged(preview: RosterPreview) -> None:
    """Refuse unless every addition is still new and every update still has its old values."""
    roster = _by_number(MemberRoster.objects.select_for_update().order_by("pk"))
    for row in preview.to_add:
        if row.member_number in roster:
            raise RosterChangedError(ROSTER_CHANGED)
    for update in preview.to_update:
        entry = roster.get(update.row.member_number)
        if entry is None or entry.pk != update.entry_id:
            raise RosterChangedError(ROSTER_CHANGED)
        if _changes(entry, update.row) != update.changes:
            raise RosterChangedError(ROSTER_CHANGED)


def _write(preview: RosterPreview) -> None:
    MemberRoster.objects.bulk_create(
        [MemberRoster(**row.values) for row in preview.to_add], batch_size=500
    )
    # bulk_update skips auto_now, so updated_at is set here.
    now = timezone.now()
    MemberRoster.objects.bulk_update(
        [
            MemberRoster(pk=update.entry_id, updated_at=now, **update.row.values)
            for update in preview.to_update
        ],
        fields=[*COLUMNS, "updated_at"],
        batch_size=500,
    )


def _verify_pending(rows: list[RosterRow]) -> int:
    """Verify the pending accounts whose e-mail or member number is on these rows.

    member_verify_from_roster decides: it needs an unexpired entry, and a member number
    only counts with the same last name.
    """
    emails = {row.email for row in rows}
    numbers = {row.member_number for row in rows}
    pending = MemberProfile.objects.filter(
        membership_status=MembershipStatus.PENDING, user__erased_at__isnull=True
    ).select_related("user")
    users = [
        profile.user
        for profile in pending
        if profile.user.email.lower() in emails or profile.member_number.strip().upper() in numbers
    ]
    return sum(member_verify_from_roster(user=user) for user in users)
