"""union-events: builds the Chalice app and registers its routes and middleware. Nothing else lives here."""

from chalicelib.loading import loading_code

with loading_code():
    from chalice import Chalice

    from chalicelib.http.lazy import register_table
    from chalicelib.http.media import BINARY_TYPES
    from chalicelib.http.middleware import handle_errors
    from chalicelib.jobs import register_jobs
    from chalicelib.route_table import ROUTES

    app = Chalice(app_name="union-events")
    # Uploaded and downloaded spreadsheets must pass through API Gateway undecoded.
    app.api.binary_types.extend(BINARY_TYPES)
    app.register_middleware(handle_errors, "http")
    register_table(app, ROUTES)
    register_jobs(app)
# Lambda finds each job by its handler string, "app.<function name>": the functions register_jobs defines inside
# itself become names of this module.
globals().update({source.name: app.handler_map[source.name] for source in app.event_sources})
