"""What the Content-Security-Policy requires of every page: no inline code or styles.

``tests/http/conftest.py`` checks every response any HTTP test receives from the test client with
``response_problems``; ``test_security_headers.py`` checks the templates themselves and the headers in detail."""

from __future__ import annotations

import re

# <script> elements: only a src (a file under /static/) or a JSON data block (never executed) may appear.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_STYLE_ELEMENT = re.compile(r"<style\b", re.I)
# An attribute inside a tag: ` style=` or ` onclick=` (and every other on*= handler).
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.I)
_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def inline_problems(html: str) -> list[str]:
    """Everything in ``html`` a CSP without 'unsafe-inline' would block (empty when the page is clean)."""
    problems = []
    for attributes, content in _SCRIPT.findall(html):
        if re.search(r"""\bsrc\s*=""", attributes):
            if content.strip():
                problems.append(f"<script{attributes}> has a src and code")
        elif not re.search(r"""\btype\s*=\s*["']?application/json""", attributes, re.I):
            problems.append(f"inline <script{attributes}>: {content.strip()[:60]!r}")
    if _STYLE_ELEMENT.search(html):
        problems.append("a <style> element")
    for tag in _TAG.findall(html):
        names = _QUOTED.sub('""', tag)  # attribute names only: a value may say anything (escaped user text)
        if _STYLE_ATTRIBUTE.search(names):
            problems.append(f"style attribute: {tag[:100]}")
        if _HANDLER.search(names):
            problems.append(f"inline event handler: {tag[:100]}")
    if _JAVASCRIPT_URL.search(html):
        problems.append("a javascript: URL")
    return problems


def header(headers: dict[str, str], name: str) -> str | None:
    return {key.lower(): value for key, value in headers.items()}.get(name.lower())


def response_problems(status: int, headers: dict[str, str], body: bytes) -> list[str]:
    """The security headers every answer carries, and clean HTML for every page."""
    problems = []
    policy = header(headers, "Content-Security-Policy") or ""
    if "default-src 'self'" not in policy or "frame-ancestors 'none'" not in policy:
        problems.append(f"Content-Security-Policy missing or incomplete: {policy!r}")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"Content-Security-Policy allows inline code: {policy!r}")
    if header(headers, "X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not header(headers, "Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not header(headers, "Cache-Control"):
        problems.append("no Cache-Control")
    if (header(headers, "Content-Type") or "").startswith("text/html") and body:
        problems += inline_problems(body.decode("utf-8", "replace"))
    return problems
