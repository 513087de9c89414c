from wagtail.snippets.models import register_snippet

from .viewsets import ResourceTopicViewSet

register_snippet(ResourceTopicViewSet)
