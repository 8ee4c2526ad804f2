from django import template

from portevoix.audit.details import Detail, readable_details

register = template.Library()


@register.filter
def details(data: object) -> list[Detail]:
    """An audit entry's data as labelled details (see `portevoix.audit.details`)."""
    return readable_details(data)
