from django import template

from intersector.jobs import services

register = template.Library()


@register.filter
def retry_offered_to(job, user):
    """{% if job|retry_offered_to:request.user %}: show "Try again" to this person."""
    return services.retry_offered(job, user)
