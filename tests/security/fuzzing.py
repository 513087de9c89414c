"""What the fuzzing tests share: hypothesis's settings, the junk a field is sent (random text,
the hostile strings, very long text, numbers, dates, several values), POST data built from a
form's valid values, and how to read what a form took and whether it refused."""

from django.forms import Form
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.helpers import hostile_inputs_load

# Few examples, always the same ones: the fuzzed forms run in every CI pass.
FUZZ = settings(
    derandomize=True,
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def sendable(text: str) -> bool:
    """Lone surrogates cannot be encoded in a request body."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


HOSTILE = [text for text in hostile_inputs_load() if sendable(text)]
# Random text of up to 40 characters, control characters and NUL included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def junk() -> st.SearchStrategy:
    """Any one kind of junk a field may be sent."""
    return st.one_of(
        TEXT,
        st.sampled_from(HOSTILE),
        st.just("x" * 10_000),
        st.integers(-(10**12), 10**12).map(str),
        st.dates().map(str),
        st.floats().map(str),
        st.lists(TEXT, min_size=2, max_size=3),
    )


def form_data(valid: dict) -> st.SearchStrategy:
    """Every field optional, each either its valid value or junk."""
    optional = {name: st.one_of(st.just(value), junk()) for name, value in valid.items()}
    return st.fixed_dictionaries({}, optional=optional)


def sent(data: dict, name: str) -> str:
    """The value a form reads for ``name``: the last of several, "" when missing."""
    value = data.get(name, "")
    return value[-1] if isinstance(value, list) and value else value or ""


def form_errors(response) -> bool:
    """Whether the response re-rendered a form with errors."""
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, Form) and value.is_bound and value.errors:
                return True
    return False
