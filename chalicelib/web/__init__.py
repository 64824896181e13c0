"""Server-rendered pages (mobile first, Chinese first, no external assets)."""

from chalicelib.web import account_pages, admin_pages, pages

PAGE_ROUTES = (pages.routes, account_pages.routes, admin_pages.routes)
