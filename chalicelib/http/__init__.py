"""Web-framework glue shared by the API and the pages: routing, request context, errors, OpenAPI."""
