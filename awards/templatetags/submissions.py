"""Showing a stored failing rule in the active language."""

from django import template

from awards.services import describe_rule

register = template.Library()


@register.filter
def rule_text(rule):
    return describe_rule(rule)
