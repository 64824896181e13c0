"""Settings, read from environment variables once per process.

Nothing here runs at import: ``get_settings()`` reads the environment on first use, so tests and ``chalice local``
can set variables before anything is bound to them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Stage = Literal["dev", "test", "prod"]
Language = Literal["zh", "en"]


# Committed to the repository, so it must never sign a production session; prod refuses to start with it.
DEVELOPMENT_SESSION_KEY = "development-only-session-key-not-secret-0000"


# Secrets that may come from SSM Parameter Store: ``<NAME>_PARAMETER`` names the SecureString holding ``<NAME>``.
SECRETS = ("SESSION_KEY", "WECHAT_MP_APP_SECRET")


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

    @model_validator(mode="after")
    def _production_is_real(self) -> Settings:
        if self.stage == "prod" and self.dynamodb_endpoint:
            raise ValueError("prod must use the regional DynamoDB endpoint, not DYNAMODB_ENDPOINT")
        if self.stage == "prod" and self.session_key == DEVELOPMENT_SESSION_KEY:
            raise ValueError("prod needs its own SESSION_KEY; the development key is public")
        if self.oidc_issuer and not (self.oidc_audience and (self.oidc_jwks_url or self.oidc_jwks_json)):
            raise ValueError("OIDC_ISSUER needs OIDC_AUDIENCE and OIDC_JWKS_URL or OIDC_JWKS_JSON")
        if bool(self.wechat_mp_app_id) != bool(self.wechat_mp_app_secret):
            raise ValueError("WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET (or its parameter) go together")
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

    def table_name(self, short_name: str) -> str:
        return f"{self.table_prefix}{short_name}"

    @classmethod
    def from_env(
        cls,
        environ: dict[str, str] | os._Environ[str] | None = None,
        read_parameter: Callable[[str, str | None], str] | None = None,
    ) -> Settings:
        """Each secret (``SECRETS``) directly (local work), or the name of an SSM SecureString in ``<NAME>_PARAMETER``
        (deployed: the secret never appears in a template, a console or the function's configuration)."""
        env = _with_secrets(os.environ if environ is None else environ, read_parameter or _ssm_parameter)
        raw = {
            "stage": env.get("APP_STAGE"),
            "table_prefix": env.get("TABLE_PREFIX"),
            "dynamodb_endpoint": env.get("DYNAMODB_ENDPOINT") or None,
            # Lambda sets AWS_REGION; local tools usually set AWS_DEFAULT_REGION.
            "aws_region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            "default_language": env.get("DEFAULT_LANGUAGE"),
            "log_level": env.get("LOG_LEVEL"),
            "session_key": env.get("SESSION_KEY"),
            "session_ttl_seconds": env.get("SESSION_TTL_SECONDS"),
            "oidc_issuer": env.get("OIDC_ISSUER"),
            "oidc_audience": env.get("OIDC_AUDIENCE"),
            "oidc_jwks_url": env.get("OIDC_JWKS_URL"),
            "oidc_jwks_json": env.get("OIDC_JWKS_JSON"),
            "oidc_staff_no_claim": env.get("OIDC_STAFF_NO_CLAIM"),
            "public_base_url": env.get("PUBLIC_BASE_URL") or None,
            "wechat_mp_app_id": env.get("WECHAT_MP_APP_ID") or None,
            "wechat_mp_app_secret": env.get("WECHAT_MP_APP_SECRET") or None,
            "wechat_api_base": env.get("WECHAT_API_BASE") or None,
        }
        try:
            return cls.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
            raise SettingsError(f"invalid configuration: {problems}") from exc


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
