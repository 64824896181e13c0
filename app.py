"""union-events: builds the Chalice app and registers its blueprints and middleware. Nothing else lives here."""

from chalice import Chalice

from chalicelib.api import API_PREFIX, API_ROUTES
from chalicelib.api.organisation import XLSX_TYPE
from chalicelib.http.middleware import handle_errors
from chalicelib.web import PAGE_ROUTES

app = Chalice(app_name="union-events")
# Roster uploads arrive as XLSX bytes; API Gateway must pass them through undecoded.
app.api.binary_types.append(XLSX_TYPE)
app.register_middleware(handle_errors, "http")
for group in API_ROUTES:
    app.register_blueprint(group.blueprint, url_prefix=API_PREFIX)
for group in PAGE_ROUTES:
    app.register_blueprint(group.blueprint)
