import pytest

from chalicelib.settings import Settings, SettingsError


def test_defaults_describe_local_development():
    settings = Settings.from_env({})
    assert settings.stage == "dev"
    assert settings.table_name("units") == "union-events-dev-units"
    assert settings.default_language == "zh"


def test_environment_is_read():
    settings = Settings.from_env(
        {
            "APP_STAGE": "prod",
            "TABLE_PREFIX": "union-events-prod-",
            "AWS_REGION": "cn-northwest-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DEFAULT_LANGUAGE": "en",
        }
    )
    assert settings.stage == "prod"
    assert settings.aws_region == "cn-northwest-1"  # Lambda's AWS_REGION wins
    assert settings.table_name("events") == "union-events-prod-events"
    assert settings.default_language == "en"


def test_production_refuses_a_local_endpoint():
    with pytest.raises(SettingsError, match="DYNAMODB_ENDPOINT"):
        Settings.from_env({"APP_STAGE": "prod", "DYNAMODB_ENDPOINT": "http://127.0.0.1:8001"})


@pytest.mark.parametrize(
    "environ",
    [{"APP_STAGE": "staging"}, {"TABLE_PREFIX": "bad prefix!"}, {"DEFAULT_LANGUAGE": "fr"}],
)
def test_bad_configuration_is_reported_by_name(environ):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert next(iter(environ)).lower().split("_")[-1] in str(caught.value).lower()
