from wagtail.snippets.models import register_snippet

from resources.viewsets import ResourceTopicViewSet

register_snippet(ResourceTopicViewSet)
