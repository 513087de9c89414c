"""What the workspace shows and where its messages go: the search, the minimum fit and the
order of the suggestions (``WorkspaceFilter``), and the outcome of an action, shown beside
the row it acted on (``Outcome``).

Both travel with the coordinator: the filter in the address (so every form posts back to
the rows shown), the outcome of a plain form post in the session until the next page.
"""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django import forms

from cohorts.matching.engine import FIT_SCALE

SEARCH_MAX_LENGTH = 100
ORDERS = {"best": "Best fit first", "weakest": "Weakest fit first"}
OUTCOME_SESSION_KEY = "matching_outcome"


class WorkspaceFilterForm(forms.Form):
    """The workspace's search and the suggestions' minimum fit and order (``GET``)."""

    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        label="Find a person",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Find by name, e-mail or institution"}
        ),
    )
    min = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=FIT_SCALE,
        label=f"Suggestions with a fit of at least (0–{FIT_SCALE})",
        error_messages={
            "invalid": f"Enter a whole number from 0 to {FIT_SCALE}.",
            "min_value": f"Enter a whole number from 0 to {FIT_SCALE}.",
            "max_value": f"Enter a whole number from 0 to {FIT_SCALE}.",
        },
    )
    order = forms.ChoiceField(required=False, choices=ORDERS.items(), label="Order")


@dataclass(frozen=True)
class WorkspaceFilter:
    """The rows the coordinator asked to see; a field given badly reads as not given."""

    query: str = ""
    min_fit: int = 0
    order: str = "best"

    @classmethod
    def from_form(cls, form: WorkspaceFilterForm) -> "WorkspaceFilter":
        if not form.is_bound:
            return cls()
        form.is_valid()
        data = form.cleaned_data
        return cls(
            query=(data.get("q") or "").strip(),
            min_fit=data.get("min") or 0,
            order=data.get("order") or "best",
        )

    @property
    def narrows(self) -> bool:
        """Whether some suggestions may be hidden."""
        return bool(self.query) or self.min_fit > 0

    def querystring(self, **extra) -> str:
        """``?q=…&min=…&order=…`` with only what differs from the defaults, or ``""``."""
        values = {"q": self.query, "min": self.min_fit or "", "order": self.order}
        if self.order == "best":
            values["order"] = ""
        values |= extra
        values = {key: value for key, value in values.items() if value not in ("", None)}
        return "?" + urlencode(values) if values else ""

    def apply(self, workspace) -> None:
        """Narrow the workspace to the search, then the suggestions to the fit and order."""
        if self.query:
            _narrow(workspace, self.query.casefold())
        rows = [r for r in workspace.suggestions if _fit(r) >= self.min_fit]
        rows.sort(key=_fit, reverse=self.order == "best")
        workspace.suggestions = rows
        for rows in (workspace.suggestions, workspace.confirmed):
            for row, following in zip(rows, rows[1:], strict=False):
                row.next_anchor = following.anchor


def _fit(row) -> int:
    """A row's fit; one with no weighted criterion counts as 0."""
    return row.review.fit if row.review.fit is not None else 0


def _narrow(workspace, query: str) -> None:
    """Keep only rows where a name, e-mail or institution contains the query."""

    def hit(application) -> bool:
        user = application.applicant
        profile = getattr(user, "profile", None)
        text = f"{user.get_full_name()} {user.email} {profile.institution if profile else ''}"
        return query in text.casefold()

    for name in ("suggestions", "confirmed", "published"):
        rows = getattr(workspace, name)
        setattr(workspace, name, [r for r in rows if hit(r.mentor) or hit(r.mentee)])
    for name in ("unmatched_mentors", "unmatched_mentees"):
        rows = getattr(workspace, name)
        setattr(workspace, name, [r for r in rows if hit(r.application)])


@dataclass
class Outcome:
    """The message of one action, for the row (or form) it acted on.

    ``gone`` says the row left its list: the message then takes its place, which is just
    before the row that followed it (``before``), or at the end of the list.
    """

    anchor: str
    text: str
    level: str = "success"  # or "error"
    gone: bool = False
    before: str = ""
    values: dict | None = None  # what the coordinator chose in a form, to show it again

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def store(self, session) -> None:
        session[OUTCOME_SESSION_KEY] = asdict(self)

    @classmethod
    def take(cls, session) -> "Outcome | None":
        """The outcome a plain form post left for this page, once."""
        data = session.pop(OUTCOME_SESSION_KEY, None)
        try:
            return cls(**data) if isinstance(data, dict) else None
        except TypeError:
            return None
