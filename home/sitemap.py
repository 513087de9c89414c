"""The sitemap: every live, public page a visitor can read without logging in, at the site's
public address (SITE_URL), whatever host the request or the Wagtail Site record names.

A page type that serves each member their own view (the pair's dashboard, a cohort's
application form) lists nothing: its ``get_sitemap_urls`` returns no address.
"""

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from core.links import absolute_url


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            parts = urlsplit(url_info["location"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            url_info["location"] = absolute_url(path)
        return urls
