"""The shared content blocks editors build pages from."""

import pytest
from django.core.exceptions import ValidationError

from home.blocks import (
    CALL_TO_ACTION_TARGET_REQUIRED,
    KEY_DATE_ENDS_BEFORE_START,
    BaseStreamBlock,
    CallToActionBlock,
    KeyDatesBlock,
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
