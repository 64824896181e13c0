"""union-events: the code that ships to Lambda.

Layers (see docs/architecture.md): ``http`` (routing, errors, OpenAPI glue), ``api`` and ``web`` (thin route
modules), ``domain`` (pure business rules), ``storage`` (PynamoDB, the only place that talks to DynamoDB).
"""
