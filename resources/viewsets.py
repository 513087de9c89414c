from wagtail.snippets.views.snippets import SnippetViewSet

from resources.models import ResourceTopic


class ResourceTopicViewSet(SnippetViewSet):
    """Editors manage the topics that resources are filtered by."""

    model = ResourceTopic
    icon = "tag"
    menu_label = "Resource topics"
    add_to_admin_menu = False
    list_display = ["name", "slug"]
    search_fields = ["name"]
