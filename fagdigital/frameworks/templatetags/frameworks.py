"""Template helpers for frameworks: texts in the active language, level names, the "Min rolle" menu entry."""

from __future__ import annotations

from django import template

from fagdigital.frameworks.models import BilingualMixin, Framework
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor

register = template.Library()


@register.filter
def t(item: BilingualMixin, field: str) -> str:
    """`{{ competence|t:"name" }}`: the field in the active language, falling back to Danish."""
    return item.t(field)


@register.filter
def level_name(framework: Framework, number: int | str) -> str:
    """`{{ framework|level_name:2 }}`: the framework's name for a proficiency level."""
    return framework.level_name(int(number))


@register.simple_tag(takes_context=True)
def has_person_record(context: template.Context, actor: Actor | None) -> bool:
    """Whether the acting user is an employee record in the current organisation.

    One small query per request: the answer is kept on the request for the menu and the page.
    """
    if actor is None:
        return False
    request = context.get("request")
    cached: bool | None = getattr(request, "_fagdigital_has_person", None)
    if cached is None:
        cached = Person.objects.filter(organisation=actor.organisation, user=actor.user).exists()
        if request is not None:
            request._fagdigital_has_person = cached
    return cached
