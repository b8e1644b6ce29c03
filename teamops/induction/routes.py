"""The induction domain's routes, on its blueprint: the templates' pages are ``template_routes``'s."""

from teamops.induction import template_routes

# Imported for its routes, on this blueprint.
__all__ = ["template_routes"]
