"""Settings, read from environment variables once per process.

Nothing here runs at import: ``get_settings()`` reads the environment on first use, so tests and ``chalice local``
can set variables before anything is bound to them.
"""

import functools
import os
from collections.abc import Callable
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Stage = Literal["dev", "test", "prod"]
Language = Literal["zh", "en"]


# Committed to the repository, so it must never sign a production session; prod refuses to start with it.
DEVELOPMENT_SESSION_KEY = "development-only-session-key-not-secret-0000"


# Secrets that may come from SSM Parameter Store: ``<NAME>_PARAMETER`` names the SecureString holding ``<NAME>``.
SECRETS = ("SESSION_KEY", "WECHAT_MP_APP_SECRET", "WECOM_SECRET", "SMTP_PASSWORD", "SMS_ACCESS_KEY_SECRET")


class SettingsError(RuntimeError):
    """The environment does not describe a usable configuration."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    stage: Stage = "dev"
    table_prefix: str = Field(
        default="union-events-dev-",
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Prefix of every DynamoDB table name, e.g. 'union-events-prod-'.",
    )
    dynamodb_endpoint: str | None = Field(
        default=None, description="DynamoDB Local URL; unset in production (the regional endpoint is used)."
    )
    aws_region: str = "cn-north-1"
    default_language: Language = "zh"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    session_key: str = Field(
        default=DEVELOPMENT_SESSION_KEY,
        min_length=32,
        repr=False,
        description="Secret that signs session tokens (at least 32 characters). From SSM Parameter Store in prod.",
    )
    session_ttl_seconds: int = Field(default=8 * 3600, ge=300, le=7 * 24 * 3600)
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = Field(default=None, description="Where the provider publishes its signing keys.")
    oidc_jwks_json: str | None = Field(default=None, repr=False, description="The JWKS itself, instead of a URL.")
    oidc_staff_no_claim: str = "preferred_username"
    public_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
        description="The site's address as browsers see it, e.g. 'https://union.example.edu.cn'; form posts and "
        "API calls made with the session cookie must come from it. Unset: the Host each request was sent to.",
    )
    # WeChat's own scanner (wx.scanQRCode) on the check-in station inside WeChat: off unless both are set.
    wechat_mp_app_id: str | None = Field(
        default=None,
        pattern=r"^wx[0-9A-Za-z]{16}$",
        description="The WeChat Official Account's AppID (公众号 AppID, 'wx' and 16 characters).",
    )
    wechat_mp_app_secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=128,
        pattern=r"^[0-9A-Za-z]+$",
        repr=False,
        description="The Official Account's AppSecret; deployed, from SSM (WECHAT_MP_APP_SECRET_PARAMETER).",
    )
    wechat_api_base: str = Field(
        default="https://api.weixin.qq.com",
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
        description="Where WeChat's server API is (tests point it at a local server).",
    )
    # 企业微信 (WeCom): application messages to userid = 工号 and silent sign-in inside WeCom; off unless all three set.
    wecom_corp_id: str | None = Field(
        default=None,
        pattern=r"^w[wx][0-9A-Za-z]{16}$",
        description="The organisation's CorpID (企业ID, 'ww' and 16 characters; on the admin console's 我的企业 page).",
    )
    wecom_agent_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="The 自建应用's AgentId (e.g. 1000002)."
    )
    wecom_secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=128,
        pattern=r"^[0-9A-Za-z_-]+$",
        repr=False,
        description="The 自建应用's Secret; deployed, from SSM (WECOM_SECRET_PARAMETER).",
    )
    wecom_api_base: str = Field(
        default="https://qyapi.weixin.qq.com",
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
        description="Where WeCom's server API is (tests point it at a local server).",
    )
    wecom_oauth_base: str = Field(
        default="https://open.weixin.qq.com",
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
        description="Where WeCom's web OAuth authorize page is (tests point it at a local server).",
    )
    # E-mail through the university's SMTP relay: off unless SMTP_HOST and SMTP_FROM are set (docs/notifications.md).
    smtp_host: str | None = Field(
        default=None,
        max_length=253,
        pattern=r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$",
        description="The university's SMTP relay, e.g. 'smtp.example.edu.cn'.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="587 for STARTTLS, 465 for implicit TLS.")
    smtp_security: Literal["starttls", "tls"] = Field(
        default="starttls",
        description="'starttls': plain connection upgraded with STARTTLS, refused if the relay does not offer it; "
        "'tls': TLS from the first byte (port 465). The relay's certificate is always verified.",
    )
    smtp_username: str | None = Field(
        default=None, min_length=1, max_length=254, pattern=r"^[^\s]+$", description="The sending account (AUTH)."
    )
    smtp_password: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        repr=False,
        description="The sending account's password; deployed, from SSM (SMTP_PASSWORD_PARAMETER).",
    )
    smtp_from: str | None = Field(
        default=None,
        max_length=200,
        description="The sender with its display name, e.g. '校工会 <union@example.edu.cn>'.",
    )
    smtp_timeout: float = Field(default=10.0, ge=1, le=60, description="Seconds to connect and per relay reply.")
    smtp_ca_file: str | None = Field(
        default=None,
        max_length=1000,
        description="A PEM file of CAs to trust besides the system's (a campus CA; the tests' own CA).",
    )

    # SMS through a provider's template messages: off unless the provider and all four values are set.
    sms_provider: Literal["aliyun"] | None = Field(
        default=None, description="The SMS provider: 'aliyun' (阿里云短信服务, dysmsapi SendSms)."
    )
    sms_access_key_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9]{8,64}$",
        description="The AccessKey ID of a RAM user allowed only dysms:SendSms.",
    )
    sms_access_key_secret: str | None = Field(
        default=None,
        min_length=8,
        max_length=128,
        pattern=r"^[A-Za-z0-9]+$",
        repr=False,
        description="Its AccessKey Secret; deployed, from SSM (SMS_ACCESS_KEY_SECRET_PARAMETER).",
    )
    sms_sign_name: str | None = Field(
        default=None, min_length=2, max_length=12, description="The approved signature (短信签名), e.g. '某某大学工会'."
    )
    sms_template_code: str | None = Field(
        default=None,
        pattern=r"^SMS_[0-9]{6,15}$",
        description="The approved template (模板CODE, e.g. 'SMS_123456789') with the parameters ${title} and ${link}.",
    )
    sms_api_base: str = Field(
        default="https://dysmsapi.aliyuncs.com",
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$",
        description="Where the provider's API is (tests point it at a local server).",
    )
    # Campus CAS (统一身份认证, CAS 3.0): a sign-in button on /signin; off unless CAS_BASE_URL is set.
    cas_base_url: str | None = Field(
        default=None,
        max_length=300,
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$",
        description="The CAS server's address without the trailing slash, e.g. 'https://cas.example.edu.cn/cas'.",
    )
    cas_staff_no_attribute: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$",
        description="The CAS attribute holding the 工号; unset: the cas:user itself.",
    )

    @field_validator("smtp_from")
    @classmethod
    def _one_sender_address(cls, value: str | None) -> str | None:
        if value is not None and sender_address(value) is None:
            raise ValueError(
                "SMTP_FROM must be one address, optionally with a display name: 校工会 <union@example.edu.cn>"
            )
        return value

    @model_validator(mode="after")
    def _smtp_is_whole(self) -> Self:
        if bool(self.smtp_host) != bool(self.smtp_from):
            raise ValueError("SMTP_HOST and SMTP_FROM go together")
        if bool(self.smtp_username) != bool(self.smtp_password):
            raise ValueError("SMTP_USERNAME and SMTP_PASSWORD (or its parameter) go together")
        if self.smtp_ca_file and not os.path.isfile(self.smtp_ca_file):
            raise ValueError(f"SMTP_CA_FILE: no such file {self.smtp_ca_file}")
        return self

    @model_validator(mode="after")
    def _production_is_real(self) -> Self:
        if self.stage == "prod" and self.dynamodb_endpoint:
            raise ValueError("prod must use the regional DynamoDB endpoint, not DYNAMODB_ENDPOINT")
        if self.stage == "prod" and self.session_key == DEVELOPMENT_SESSION_KEY:
            raise ValueError("prod needs its own SESSION_KEY; the development key is public")
        if self.oidc_issuer and not (self.oidc_audience and (self.oidc_jwks_url or self.oidc_jwks_json)):
            raise ValueError("OIDC_ISSUER needs OIDC_AUDIENCE and OIDC_JWKS_URL or OIDC_JWKS_JSON")
        if bool(self.wechat_mp_app_id) != bool(self.wechat_mp_app_secret):
            raise ValueError("WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET (or its parameter) go together")
        if len({self.wecom_corp_id is None, self.wecom_agent_id is None, self.wecom_secret is None}) > 1:
            raise ValueError("WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET (or its parameter) go together")
        return self

    @model_validator(mode="after")
    def _sms_and_cas_are_whole(self) -> Self:
        sms = (self.sms_provider, self.sms_access_key_id, self.sms_access_key_secret)
        if len({value is None for value in (*sms, self.sms_sign_name, self.sms_template_code)}) > 1:
            raise ValueError(
                "SMS_PROVIDER, SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET (or its parameter), SMS_SIGN_NAME and "
                "SMS_TEMPLATE_CODE go together"
            )
        if self.stage == "prod" and self.cas_base_url and not self.cas_base_url.startswith("https://"):
            raise ValueError("CAS_BASE_URL must be https in prod: the ticket travels in it")
        return self

    @property
    def oidc_enabled(self) -> bool:
        return self.oidc_provider is not None

    @property
    def oidc_provider(self) -> tuple[str, str] | None:
        """The configured provider's (issuer, audience), or None when OpenID Connect is off. The validator above
        allows an issuer only together with an audience, so a half-configured provider never reaches a request."""
        if self.oidc_issuer and self.oidc_audience:
            return self.oidc_issuer, self.oidc_audience
        return None

    @property
    def wechat_mp(self) -> tuple[str, str] | None:
        """The Official Account's (AppID, AppSecret) when the WeChat scanner is on, else None (the default)."""
        if self.wechat_mp_app_id and self.wechat_mp_app_secret:
            return self.wechat_mp_app_id, self.wechat_mp_app_secret
        return None

    @property
    def wecom(self) -> tuple[str, int, str] | None:
        """The 自建应用's (CorpID, AgentId, Secret) when 企业微信 is on, else None (the default)."""
        if self.wecom_corp_id and self.wecom_agent_id and self.wecom_secret:
            return self.wecom_corp_id, self.wecom_agent_id, self.wecom_secret
        return None

    @property
    def smtp_enabled(self) -> bool:
        """Whether e-mail goes out (SMTP_HOST and SMTP_FROM set; the validators keep the rest consistent)."""
        return bool(self.smtp_host and self.smtp_from)

    @property
    def sms_enabled(self) -> bool:
        """Whether SMS goes out (the validator above allows the SMS settings only all together)."""
        return self.sms_provider is not None

    def table_name(self, short_name: str) -> str:
        return f"{self.table_prefix}{short_name}"

    @classmethod
    def from_env(
        cls,
        environ: dict[str, str] | os._Environ[str] | None = None,
        read_parameter: Callable[[str, str | None], str] | None = None,
    ) -> Self:
        """Each secret (``SECRETS``) directly (local work), or the name of an SSM SecureString in ``<NAME>_PARAMETER``
        (deployed: the secret never appears in a template, a console or the function's configuration)."""
        env = _with_secrets(os.environ if environ is None else environ, read_parameter or _ssm_parameter)
        raw = {field: env.get(name) for field, name in _ENVIRONMENT.items()}
        raw |= {field: env.get(name) or None for field, name in _ENVIRONMENT_EMPTY_UNSET.items()}
        # Lambda sets AWS_REGION; local tools usually set AWS_DEFAULT_REGION.
        raw["aws_region"] = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
        try:
            return cls.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
            raise SettingsError(f"invalid configuration: {problems}") from exc


# Each setting and the environment variable it is read from; an empty value is refused like any invalid one.
_ENVIRONMENT: dict[str, str] = {
    "stage": "APP_STAGE",
    "table_prefix": "TABLE_PREFIX",
    "default_language": "DEFAULT_LANGUAGE",
    "log_level": "LOG_LEVEL",
    "session_key": "SESSION_KEY",
    "session_ttl_seconds": "SESSION_TTL_SECONDS",
    "oidc_issuer": "OIDC_ISSUER",
    "oidc_audience": "OIDC_AUDIENCE",
    "oidc_jwks_url": "OIDC_JWKS_URL",
    "oidc_jwks_json": "OIDC_JWKS_JSON",
    "oidc_staff_no_claim": "OIDC_STAFF_NO_CLAIM",
}
# ... and those for which an empty value means unset (the default).
_ENVIRONMENT_EMPTY_UNSET: dict[str, str] = {
    name.lower(): name
    for name in (
        "DYNAMODB_ENDPOINT",
        "PUBLIC_BASE_URL",
        "WECHAT_MP_APP_ID",
        "WECHAT_MP_APP_SECRET",
        "WECHAT_API_BASE",
        "WECOM_CORP_ID",
        "WECOM_AGENT_ID",
        "WECOM_SECRET",
        "WECOM_API_BASE",
        "WECOM_OAUTH_BASE",
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_SECURITY",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SMTP_FROM",
        "SMTP_TIMEOUT",
        "SMTP_CA_FILE",
        "SMS_PROVIDER",
        "SMS_ACCESS_KEY_ID",
        "SMS_ACCESS_KEY_SECRET",
        "SMS_SIGN_NAME",
        "SMS_TEMPLATE_CODE",
        "SMS_API_BASE",
        "CAS_BASE_URL",
        "CAS_STAFF_NO_ATTRIBUTE",
    )
}


def sender_address(value: str) -> tuple[str, str] | None:
    """(display name, address) of ``value`` when it is exactly one mailbox, e.g. '校工会 <union@example.edu.cn>' or
    'union@example.edu.cn', else None: no line breaks (header injection), no second address, a plain address."""
    from email.utils import getaddresses

    if any(ch in value for ch in "\r\n\0") or not value.strip():
        return None
    found = getaddresses([value])
    if len(found) != 1:
        return None
    name, address = found[0]
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or not all(33 <= ord(ch) < 127 for ch in address):
        return None
    return name, address


def _with_secrets(
    env: dict[str, str] | os._Environ[str], read_parameter: Callable[[str, str | None], str]
) -> dict[str, str] | os._Environ[str]:
    """``env`` with each secret that is not set directly read from the SSM parameter its ``<NAME>_PARAMETER`` names."""
    for secret in SECRETS:
        parameter = env.get(f"{secret}_PARAMETER")
        if parameter and not env.get(secret):
            region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
            env = {**env, secret: read_parameter(parameter, region)}
    return env


def _ssm_parameter(name: str, region: str | None) -> str:
    """A SecureString from SSM Parameter Store: one call per cold start (the settings are cached)."""
    import boto3  # deployed only; local work sets the secrets themselves

    try:
        found = boto3.client("ssm", region_name=region).get_parameter(Name=name, WithDecryption=True)
    except Exception as error:  # botocore's errors: no such parameter, no permission, no network
        raise SettingsError(f"cannot read the secret in SSM parameter {name}: {error}") from error
    return found["Parameter"]["Value"]


@functools.cache
def get_settings() -> Settings:
    return Settings.from_env()
