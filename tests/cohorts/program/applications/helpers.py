"""What the application tests share besides their fixtures: a complete application as the
application form posts it, and the check that a page is never cached."""


def answers(areas, /, **changes) -> dict:
    """A complete application as both mentor and mentee, as the form posts it."""
    data = {
        "action": "submit",
        "application": "",
        "role": "both",
        "mentee_capacity": "2",
        "areas": [str(areas[0].pk)],
        "goals": "Learn to lead a team.",
        "offer": "Ten years of cataloguing.",
        "career_stage": "mid",
        "years_experience": "8",
        "contact_methods": ["email", "virtual"],
        "availability": "Tuesday evenings",
        "time_zone": "America/Chicago",
        "attends_midwinter": "on",
        "commitment": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def assert_private(response) -> None:
    """The response may be kept by no cache: it is private and never stored."""
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control, cache_control
