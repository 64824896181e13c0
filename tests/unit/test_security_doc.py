"""docs/security.md's access tables are generated from the access policy and the routes (devtools/security_doc.py)."""

from chalicelib.domain.access import Access, may_enter
from devtools import security_doc


def test_role_matrix_follows_may_enter():
    text = security_doc.generated()
    for level in Access:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{level.value}` |"))
        cells = [cell.strip() for cell in row.split("|")[2:6]]
        expected = [
            "yes" if may_enter(principal, level) else ("401" if not principal.signed_in else "403")
            for _, principal in security_doc._roles()
        ]
        assert cells == expected, level


def test_every_api_route_is_listed_once_with_its_level():
    from chalicelib.api import API_PREFIX, api_route_groups

    text = security_doc.generated()
    for group in api_route_groups():
        for op in group.operations:
            assert text.count(f"| `{op.method} {API_PREFIX}{op.path}` |") == 1, (op.method, op.path)


def test_render_replaces_only_the_text_between_the_markers():
    document = f"# Security\n\nprose before\n\n{security_doc.BEGIN}\nstale\n{security_doc.END}\n\nprose after\n"
    rendered = security_doc.render(document)
    assert rendered.startswith("# Security\n\nprose before\n\n" + security_doc.BEGIN)
    assert rendered.endswith(security_doc.END + "\n\nprose after\n")
    assert "stale" not in rendered and "### Who enters which routes" in rendered
    assert security_doc.render(rendered) == rendered
