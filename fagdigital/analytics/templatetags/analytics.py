"""Template tags for the anonymity texts, so pages and PDFs word them exactly as the privacy package does."""

from __future__ import annotations

from django import template

from fagdigital.privacy import texts

register = template.Library()


@register.simple_tag
def missing_reason(missing: str, k: int) -> str:
    return texts.missing_reason(missing, k)


@register.simple_tag
def missing_label(missing: str, k: int) -> str:
    return texts.missing_label(missing, k)


@register.simple_tag
def rule_summary(k: int) -> str:
    return texts.rule_summary(k)


@register.simple_tag
def coverage_text(covered: int, participants: int) -> str:
    return texts.coverage_text(covered, participants)
