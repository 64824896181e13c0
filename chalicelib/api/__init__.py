"""JSON API route modules. Every group here is registered under /api and appears in the OpenAPI document."""

from chalicelib.api import auth, events, organisation, system

API_PREFIX = "/api"
API_ROUTES = (system.routes, auth.routes, organisation.routes, events.routes)
