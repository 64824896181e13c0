from chalicelib.storage.tables import DYNAMODB_ACTIONS, TABLES
from devtools import iam_policy


def test_policy_covers_exactly_the_tables_and_indexes_in_the_definitions():
    document = iam_policy.policy("union-events-prod-", partition="aws")
    statement = next(s for s in document["Statement"] if s["Sid"] == "AppTables")
    resources = set(statement["Resource"])
    expected = {f"arn:aws:dynamodb:*:*:table/union-events-prod-{m.short_name}" for m in TABLES}
    expected |= {
        f"arn:aws:dynamodb:*:*:table/union-events-prod-{m.short_name}/index/{i.Meta.index_name}"
        for m in TABLES
        for i in m._indexes.values()
    }
    assert resources == expected
    assert statement["Action"] == list(DYNAMODB_ACTIONS)


def test_policy_grants_no_wildcard_dynamodb_action():
    for statement in iam_policy.policy("union-events-prod-")["Statement"]:
        actions = statement["Action"]
        assert not any(action in ("*", "dynamodb:*") or action.endswith("*") for action in actions)


def test_committed_policy_files_are_current():
    assert iam_policy.main(["--check"]) == 0
