"""Content blocks shared by every page's body; other apps extend BaseStreamBlock."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

CALL_TO_ACTION_TARGET_REQUIRED = "Choose a page or enter an address for the button."
KEY_DATE_ENDS_BEFORE_START = "'{label}' ends before it starts: check its dates."
VIDEO_UNSUPPORTED = (
    "Enter the address of a YouTube or Vimeo video, e.g. https://www.youtube.com/watch?v=… "
    "or https://vimeo.com/…"
)

# Words in braces an editor may write in a list item, replaced by the current cohort's
# values when the page is shown (cohorts/templatetags/cohort_tags.py fills them in), and
# how long personal data is kept (RETENTION_YEARS, CONTACT_MESSAGE_RETENTION_DAYS), which the
# privacy notice states.
COHORT_DATE_PLACEHOLDERS = {
    "cohort": "the cohort's name",
    "applications_open": "the day applications open",
    "application_deadline": "the application deadline",
    "pairing_completed_by": "the day pairs are made by",
    "orientation_date": "the orientation's day",
    "formal_start": "the first day of formal mentoring",
    "formal_end": "the last day of formal mentoring",
    "months": "the number of months of formal mentoring",
    "minimum_hours": "the minimum hours of contact",
    "retention_years": "the years a cohort's personal data is kept after it closes",
    "contact_retention_days": "the days a contact message is kept",
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDER_UNKNOWN = "Unknown word in braces: {names}. You can use: {known}."

HEADING_LEVELS = [("h2", "Section heading"), ("h3", "Sub-heading"), ("h4", "Minor heading")]


class HeadingBlock(blocks.StructBlock):
    """A section heading; its level keeps the page outline in order for screen readers."""

    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=HEADING_LEVELS, default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A heading that starts a new section of the page."
        preview_value = {"text": "Mentoring program goals", "level": "h2"}


class ListBlock(blocks.StructBlock):
    """A bulleted or numbered list, such as the program's goals or guidelines.

    An item may name the current cohort's dates in braces, e.g. "Formal mentoring begins
    {formal_start} and ends {formal_end} ({months} months)", so the guidelines follow the
    year without editing."""

    items = blocks.ListBlock(
        blocks.CharBlock(
            max_length=500,
            label="item",
            help_text=(
                "To show the current cohort's dates, or how long personal data is kept, "
                "write one of these in braces: "
                + ", ".join(f"{{{name}}}" for name in COHORT_DATE_PLACEHOLDERS)
                + "."
            ),
        )
    )
    numbered = blocks.BooleanBlock(required=False, help_text="Number the items.")

    class Meta:
        icon = "list-ul"
        template = "blocks/list_block.html"
        description = "A list of short points, bulleted or numbered."
        preview_value = {
            "items": ["Open to members only", "Participants commit to one year"],
            "numbered": False,
        }

    def clean(self, value):
        value = super().clean(value)
        unknown = sorted(
            {
                name
                for item in value["items"]
                for name in PLACEHOLDER.findall(item)
                if name not in COHORT_DATE_PLACEHOLDERS
            }
        )
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in COHORT_DATE_PLACEHOLDERS)
            names = ", ".join(f"{{{name}}}" for name in unknown)
            raise blocks.StructBlockValidationError(
                non_block_errors=[PLACEHOLDER_UNKNOWN.format(names=names, known=known)]
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box that sends the reader to one page or address."""

    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=500)
    button_label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = "A highlighted box with a button, e.g. 'Apply now' or 'Contact the chair'."
        preview_value = {
            "title": "Questions about the program?",
            "text": "The chair of the mentoring subcommittee is happy to help.",
            "button_label": "Contact the chair",
            "url": "https://example.org/contact/",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(CALL_TO_ACTION_TARGET_REQUIRED)}
            )
        return value


class KeyDateBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=120)
    date = blocks.DateBlock()
    end_date = blocks.DateBlock(required=False, help_text="For a period, the last day.")
    description = blocks.CharBlock(required=False, max_length=250)


class KeyDatesBlock(blocks.StructBlock):
    """A short timeline of dates, such as the application deadline and program start."""

    title = blocks.CharBlock(max_length=120, default="Key dates")
    dates = blocks.ListBlock(KeyDateBlock())

    class Meta:
        icon = "date"
        template = "blocks/key_dates_block.html"
        description = "A list of key dates shown as a timeline."
        preview_value = {
            "title": "Key dates",
            "dates": [
                {"label": "Application deadline", "date": datetime.date(2017, 3, 17)},
                {
                    "label": "Formal mentoring",
                    "date": datetime.date(2017, 6, 1),
                    "end_date": datetime.date(2018, 4, 30),
                },
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        for item in value["dates"]:
            if item.get("end_date") and item["end_date"] < item["date"]:
                raise blocks.StructBlockValidationError(
                    non_block_errors=[KEY_DATE_ENDS_BEFORE_START.format(label=item["label"])]
                )
        return value


class ImageBlock(blocks.StructBlock):
    """An image with the text alternative that screen readers announce."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text="Describe the image for people who cannot see it. Leave empty if decorative.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "An image with a caption."


class QuoteBlock(blocks.StructBlock):
    """A quotation, e.g. from a past mentor or mentee."""

    text = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A quotation with the name of the person quoted."
        preview_value = {
            "text": "My mentor helped me see where my career could go.",
            "attribution": "A mentee from the first cohort",
        }


_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "www.youtube-nocookie.com"}


def video_player_url(address: str) -> str:
    """The provider's own player for a YouTube or Vimeo address, or "" for anything else.

    YouTube plays from its no-cookie host and Vimeo with "do not track": a visitor who does
    not press play sets no provider cookie. Nothing is fetched from the provider when the
    page is saved or shown (the Content-Security-Policy allows these two players only)."""
    parts = urlsplit(address.strip())
    if parts.scheme not in {"http", "https"}:
        return ""
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    video_id = ""
    if host in _YOUTUBE_HOSTS:
        if path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = path.split("/")[2]
    elif host == "youtu.be":
        video_id = path.lstrip("/")
    if video_id:
        return (
            f"https://www.youtube-nocookie.com/embed/{video_id}"
            if _YOUTUBE_ID.fullmatch(video_id)
            else ""
        )
    if host in {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}:
        number = path.rsplit("/", 1)[-1]
        if number.isdigit():
            return f"https://player.vimeo.com/video/{number}?dnt=1"
    return ""


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video, played in the provider's own player."""

    url = blocks.URLBlock(
        label="Video address",
        help_text="The address of the video on YouTube or Vimeo, as in the browser's address bar.",
    )
    title = blocks.CharBlock(
        max_length=120,
        help_text="What the video is, for people using a screen reader, e.g. 'Meet the mentors'.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        description = "A video from YouTube or Vimeo."
        preview_value = {
            "url": "https://vimeo.com/76979871",
            "title": "A short film",
            "caption": "",
        }

    def clean(self, value):
        value = super().clean(value)
        if not video_player_url(value.get("url") or ""):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(VIDEO_UNSUPPORTED)}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["player_url"] = video_player_url(value.get("url") or "")
        return context


class BaseStreamBlock(blocks.StreamBlock):
    """The building blocks of every page body; an editor can add, reorder and remove them."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description="Formatted text with links.",
        preview_value="<p>The mentoring program encourages professional development.</p>",
    )
    list = ListBlock()
    call_to_action = CallToActionBlock()
    key_dates = KeyDatesBlock()
    image = ImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
