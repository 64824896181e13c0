import pytest

from chalicelib.settings import Settings, SettingsError

CORP_ID = "ww0011223344556677"
SECRET = "Vbq3-_aZ" * 5 + "abc"  # 43 characters, as WeCom hands them out
ON = {"WECOM_CORP_ID": CORP_ID, "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": SECRET}


def test_wecom_is_off_unless_corp_agent_and_secret_are_all_set():
    assert Settings.from_env({}).wecom is None
    settings = Settings.from_env(ON)
    assert settings.wecom == (CORP_ID, 1000002, SECRET)
    assert settings.wecom_api_base == "https://qyapi.weixin.qq.com"
    assert settings.wecom_oauth_base == "https://open.weixin.qq.com"
    assert SECRET not in repr(settings)
    for missing in ON:
        half = {name: value for name, value in ON.items() if name != missing}
        with pytest.raises(SettingsError, match="WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET"):
            Settings.from_env(half)


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("WECOM_CORP_ID", "corp-1", "wecom_corp_id"),
        ("WECOM_AGENT_ID", "0", "wecom_agent_id"),
        ("WECOM_AGENT_ID", "app", "wecom_agent_id"),
        ("WECOM_SECRET", "short", "wecom_secret"),
        ("WECOM_SECRET", "a" * 40 + "/", "wecom_secret"),
        ("WECOM_API_BASE", "https://qyapi.weixin.qq.com/cgi-bin", "wecom_api_base"),
        ("WECOM_OAUTH_BASE", "javascript:alert(1)", "wecom_oauth_base"),
    ],
)
def test_a_malformed_wecom_setting_does_not_start(name: str, value: str, field: str):
    with pytest.raises(SettingsError, match=field):
        Settings.from_env({**ON, name: value})


def test_the_wecom_secret_can_come_from_ssm_parameter_store():
    asked: list[str] = []

    def read(name: str, region: str | None) -> str:
        asked.append(name)
        return SECRET

    environ = {
        "WECOM_CORP_ID": CORP_ID,
        "WECOM_AGENT_ID": "1000002",
        "WECOM_SECRET_PARAMETER": "/union-events/prod/wecom-secret",
    }
    assert Settings.from_env(environ, read_parameter=read).wecom == (CORP_ID, 1000002, SECRET)
    assert asked == ["/union-events/prod/wecom-secret"]
