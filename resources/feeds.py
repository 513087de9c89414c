"""The news as an Atom feed (/news/feed/), for feed readers and the association's other
sites: the twenty newest live, public news pages, linked at the public address (SITE_URL)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from core.links import absolute_url, page_absolute_url
from resources.models import NewsIndexPage, NewsPage

FEED_LENGTH = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        self.site_settings = None
        if site is not None:
            from home.models import SiteSettings

            self.site_settings = SiteSettings.for_site(site)
        return NewsIndexPage.objects.live().public().first()

    def title(self, index):
        name = self.site_settings.program_name if self.site_settings else ""
        return f"{name}: {index.title}" if index and name else (index.title if index else name)

    def subtitle(self, index):
        return index.intro if index else ""

    def link(self, index):
        return page_absolute_url(index) if index else absolute_url("/")

    def feed_url(self, index):
        return absolute_url("/news/feed/")

    def items(self, index):
        if index is None:
            return NewsPage.objects.none()
        return (
            NewsPage.objects.child_of(index).live().public().order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return page_absolute_url(item)

    def item_guid(self, item):
        return page_absolute_url(item)

    def item_pubdate(self, item):
        moment = datetime.datetime.combine(item.date, datetime.time(9))
        return timezone.make_aware(moment)

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)
