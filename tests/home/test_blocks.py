"""The shared content blocks editors build pages from."""

import pytest
from django.core.exceptions import ValidationError

from home.blocks import (
    CALL_TO_ACTION_TARGET_REQUIRED,
    KEY_DATE_ENDS_BEFORE_START,
    VIDEO_UNSUPPORTED,
    BaseStreamBlock,
    CallToActionBlock,
    KeyDatesBlock,
    VideoBlock,
)
from resources.blocks import ResourceStreamBlock


@pytest.mark.parametrize("stream", [BaseStreamBlock(), ResourceStreamBlock()])
def test_every_block_has_an_icon_a_template_and_a_description(stream):
    for name, block in stream.child_blocks.items():
        assert block.meta.icon and block.meta.icon != "placeholder", name
        assert block.meta.template and block.meta.template.startswith("blocks/"), name
        assert block.meta.description, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in BaseStreamBlock().child_blocks if n != "image"])
def test_each_block_renders_its_preview_value(name):
    block = BaseStreamBlock().child_blocks[name]
    html = block.render(block.get_preview_value())
    assert html.strip()
    assert "None" not in html


def test_call_to_action_needs_a_page_or_an_address():
    block = CallToActionBlock()
    value = block.to_python({"title": "Apply", "button_label": "Apply", "page": None, "url": ""})
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert error.value.block_errors["page"].message == CALL_TO_ACTION_TARGET_REQUIRED


def test_key_dates_refuse_a_period_that_ends_before_it_starts():
    block = KeyDatesBlock()
    value = block.to_python(
        {
            "title": "Key dates",
            "dates": [
                {
                    "label": "Formal mentoring",
                    "date": "2026-06-01",
                    "end_date": "2026-04-30",
                    "description": "",
                }
            ],
        }
    )
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    [message] = [e.message for e in error.value.non_block_errors.as_data()]
    assert message == KEY_DATE_ENDS_BEFORE_START.format(label="Formal mentoring")


def test_key_dates_render_as_an_ordered_timeline_with_machine_readable_dates():
    block = KeyDatesBlock()
    html = block.render(
        block.to_python(
            {
                "title": "Key dates",
                "dates": [{"label": "Deadline", "date": "2017-03-17", "description": ""}],
            }
        )
    )
    assert '<ol class="timeline">' in html
    assert '<time datetime="2017-03-17">Mar 17, 2017</time>' in html


@pytest.mark.parametrize(
    ("address", "player"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ?t=42",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
    ],
)
def test_a_video_plays_from_its_provider_s_own_player(address, player):
    block = VideoBlock()
    value = block.clean(block.to_python({"url": address, "title": "Meet the mentors"}))
    html = block.render(value)
    assert f'src="{player}"' in html
    assert 'title="Meet the mentors"' in html
    assert "style=" not in html  # the page's CSP: the frame is sized by the stylesheet


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/video.mp4",
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com.example.org/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/not-a-number",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_a_video_from_anywhere_else_is_refused_with_a_message(address):
    block = VideoBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"url": address, "title": "A video"}))
    assert VIDEO_UNSUPPORTED in str(error.value.block_errors["url"])
