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
            "SESSION_KEY": "k" * 40,
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
        Settings.from_env({"APP_STAGE": "prod", "SESSION_KEY": "k" * 40, "DYNAMODB_ENDPOINT": "http://127.0.0.1:8001"})


@pytest.mark.parametrize(
    "environ",
    [{"APP_STAGE": "staging"}, {"TABLE_PREFIX": "bad prefix!"}, {"DEFAULT_LANGUAGE": "fr"}],
)
def test_bad_configuration_is_reported_by_name(environ):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert next(iter(environ)).lower().split("_")[-1] in str(caught.value).lower()


def test_production_refuses_the_development_session_key():
    with pytest.raises(SettingsError, match="SESSION_KEY"):
        Settings.from_env({"APP_STAGE": "prod"})
    assert Settings.from_env({"APP_STAGE": "prod", "SESSION_KEY": "k" * 40}).stage == "prod"


def test_session_key_must_be_long_and_is_not_shown():
    with pytest.raises(SettingsError, match="session_key"):
        Settings.from_env({"SESSION_KEY": "short"})
    assert "k" * 40 not in repr(Settings.from_env({"SESSION_KEY": "k" * 40}))


def test_oidc_needs_audience_and_keys():
    with pytest.raises(SettingsError, match="OIDC_AUDIENCE"):
        Settings.from_env({"OIDC_ISSUER": "https://sso.example.edu.cn"})
    settings = Settings.from_env(
        {"OIDC_ISSUER": "https://sso.example.edu.cn", "OIDC_AUDIENCE": "union", "OIDC_JWKS_JSON": "{}"}
    )
    assert settings.oidc_enabled


def test_production_reads_its_session_key_from_ssm_parameter_store():
    asked = []

    def read(name, region):
        asked.append((name, region))
        return "s" * 40

    environ = {
        "APP_STAGE": "prod",
        "SESSION_KEY_PARAMETER": "/union-events/prod/session-key",
        "AWS_REGION": "cn-north-1",
    }
    settings = Settings.from_env(environ, read_parameter=read)
    assert settings.session_key == "s" * 40 and asked == [("/union-events/prod/session-key", "cn-north-1")]
    # A key set directly wins (local work); the parameter is not read.
    assert Settings.from_env({**environ, "SESSION_KEY": "d" * 40}, read_parameter=read).session_key == "d" * 40
    assert len(asked) == 1


def test_production_without_a_readable_session_key_does_not_start():
    def unreadable(name, region):
        raise SettingsError(f"cannot read the session key from SSM parameter {name}")

    with pytest.raises(SettingsError, match="SSM parameter"):
        Settings.from_env({"APP_STAGE": "prod", "SESSION_KEY_PARAMETER": "/x"}, read_parameter=unreadable)
    with pytest.raises(SettingsError, match="SESSION_KEY"):  # no parameter, no key: the public development key
        Settings.from_env({"APP_STAGE": "prod"})


APP_ID = "wx0123456789abcdef"


def test_the_wechat_scanner_is_off_unless_the_official_account_is_configured():
    assert Settings.from_env({}).wechat_mp is None
    settings = Settings.from_env({"WECHAT_MP_APP_ID": APP_ID, "WECHAT_MP_APP_SECRET": "a" * 32})
    assert settings.wechat_mp == (APP_ID, "a" * 32)
    assert settings.wechat_api_base == "https://api.weixin.qq.com"
    assert "a" * 32 not in repr(settings)
    moved = {"WECHAT_MP_APP_ID": APP_ID, "WECHAT_MP_APP_SECRET": "a" * 32, "WECHAT_API_BASE": "http://127.0.0.1:9"}
    assert Settings.from_env(moved).wechat_api_base == "http://127.0.0.1:9"
    with pytest.raises(SettingsError, match="WECHAT_MP_APP_SECRET"):  # half a configuration does not start
        Settings.from_env({"WECHAT_MP_APP_ID": APP_ID})
    with pytest.raises(SettingsError, match="wechat_mp_app_id"):
        Settings.from_env({"WECHAT_MP_APP_ID": "gh_123", "WECHAT_MP_APP_SECRET": "a" * 32})
    with pytest.raises(SettingsError, match="wechat_api_base"):
        Settings.from_env({"WECHAT_API_BASE": "https://api.weixin.qq.com/cgi-bin?x"})


def test_production_reads_the_wechat_secret_from_ssm_parameter_store():
    asked = []

    def read(name, region):
        asked.append(name)
        return "s" * 40 if name.endswith("session-key") else "b" * 32

    environ = {
        "APP_STAGE": "prod",
        "AWS_REGION": "cn-north-1",
        "SESSION_KEY_PARAMETER": "/union-events/prod/session-key",
        "WECHAT_MP_APP_ID": APP_ID,
        "WECHAT_MP_APP_SECRET_PARAMETER": "/union-events/prod/wechat-mp-app-secret",
    }
    assert Settings.from_env(environ, read_parameter=read).wechat_mp == (APP_ID, "b" * 32)
    assert asked == ["/union-events/prod/session-key", "/union-events/prod/wechat-mp-app-secret"]
    # Not configured: no parameter is read for it.
    del environ["WECHAT_MP_APP_SECRET_PARAMETER"], environ["WECHAT_MP_APP_ID"]
    assert Settings.from_env(environ, read_parameter=read).wechat_mp is None and len(asked) == 3
