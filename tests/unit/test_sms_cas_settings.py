"""SMS and CAS settings: off until configured, all-or-nothing, malformed values refused, the secret from SSM."""

import pytest

from chalicelib.settings import Settings, SettingsError

SMS = {
    "SMS_PROVIDER": "aliyun",
    "SMS_ACCESS_KEY_ID": "LTAI5tExampleKeyId01",
    "SMS_ACCESS_KEY_SECRET": "ExampleSecretValue0123456789ab",
    "SMS_SIGN_NAME": "示例大学工会",
    "SMS_TEMPLATE_CODE": "SMS_123456789",
}


def test_sms_is_off_unless_every_value_is_set():
    assert not Settings.from_env({}).sms_enabled
    settings = Settings.from_env(SMS)
    assert settings.sms_enabled and settings.sms_api_base == "https://dysmsapi.aliyuncs.com"
    assert SMS["SMS_ACCESS_KEY_SECRET"] not in repr(settings)
    for missing in SMS:
        with pytest.raises(SettingsError, match="SMS_PROVIDER, SMS_ACCESS_KEY_ID"):
            Settings.from_env({name: value for name, value in SMS.items() if name != missing})


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("SMS_PROVIDER", "twilio", "sms_provider"),
        ("SMS_ACCESS_KEY_ID", "key id", "sms_access_key_id"),
        ("SMS_ACCESS_KEY_SECRET", "short", "sms_access_key_secret"),
        ("SMS_SIGN_NAME", "工" * 13, "sms_sign_name"),
        ("SMS_TEMPLATE_CODE", "123456", "sms_template_code"),
        ("SMS_API_BASE", "https://dysmsapi.aliyuncs.com/?x=1", "sms_api_base"),
    ],
)
def test_a_malformed_sms_setting_does_not_start(name: str, value: str, field: str):
    with pytest.raises(SettingsError, match=field):
        Settings.from_env({**SMS, name: value})


def test_the_sms_secret_can_come_from_ssm_parameter_store():
    env = {name: value for name, value in SMS.items() if name != "SMS_ACCESS_KEY_SECRET"}
    env["SMS_ACCESS_KEY_SECRET_PARAMETER"] = "/union-events/prod/sms-secret"
    asked = []

    def read(name: str, region: str | None) -> str:
        asked.append(name)
        return "SecretFromParameterStore01"

    assert Settings.from_env(env, read).sms_access_key_secret == "SecretFromParameterStore01"
    assert asked == ["/union-events/prod/sms-secret"]


def test_cas_is_off_by_default_and_needs_https_in_prod():
    assert Settings.from_env({}).cas_base_url is None
    settings = Settings.from_env(
        {"CAS_BASE_URL": "http://127.0.0.1:8443/cas", "CAS_STAFF_NO_ATTRIBUTE": "employeeNumber"}
    )
    assert settings.cas_base_url == "http://127.0.0.1:8443/cas" and settings.cas_staff_no_attribute == "employeeNumber"
    prod = {"APP_STAGE": "prod", "SESSION_KEY": "k" * 40}
    with pytest.raises(SettingsError, match="CAS_BASE_URL must be https"):
        Settings.from_env({**prod, "CAS_BASE_URL": "http://cas.example.edu.cn/cas"})
    assert Settings.from_env({**prod, "CAS_BASE_URL": "https://cas.example.edu.cn/cas"}).cas_base_url
    for bad in ("https://cas.example.edu.cn/cas/", "https://cas.example.edu.cn/cas?x=1", "javascript:alert(1)"):
        with pytest.raises(SettingsError, match="cas_base_url"):
            Settings.from_env({"CAS_BASE_URL": bad})


def test_an_empty_variable_means_unset_for_optional_settings_only():
    assert Settings.from_env({"SMS_PROVIDER": "", "CAS_BASE_URL": "", "SMTP_HOST": ""}).cas_base_url is None
    with pytest.raises(SettingsError, match="session_key"):
        Settings.from_env({"SESSION_KEY": ""})
