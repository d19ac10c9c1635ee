"""``{{ item|thumb_url }}``: a list's cover thumbnail address (catalog/links.py), cheaper than
``{% url 'catalog:photo' item.pk item.cover_id 'thumb' %}`` and the same."""

from django import template

from catalog.links import photo_url

register = template.Library()


@register.filter
def thumb_url(item, size: str = "thumb") -> str:
    """The address of ``item``'s cover photo (``item.cover_id``) in ``size``."""
    return photo_url(item.pk, item.cover_id, size)
