"""Server-rendered pages (mobile first, Chinese first, no external assets)."""

from chalicelib.web import pages

PAGE_ROUTES = (pages.routes,)
