"""Settings, read from environment variables once per process.

Nothing here runs at import: ``get_settings()`` reads the environment on first use, so tests and ``chalice local``
can set variables before anything is bound to them.
"""

from __future__ import annotations

import functools
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Stage = Literal["dev", "test", "prod"]
Language = Literal["zh", "en"]


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

    @model_validator(mode="after")
    def _production_is_real(self) -> Settings:
        if self.stage == "prod" and self.dynamodb_endpoint:
            raise ValueError("prod must use the regional DynamoDB endpoint, not DYNAMODB_ENDPOINT")
        return self

    def table_name(self, short_name: str) -> str:
        return f"{self.table_prefix}{short_name}"

    @classmethod
    def from_env(cls, environ: dict[str, str] | os._Environ[str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw = {
            "stage": env.get("APP_STAGE"),
            "table_prefix": env.get("TABLE_PREFIX"),
            "dynamodb_endpoint": env.get("DYNAMODB_ENDPOINT") or None,
            # Lambda sets AWS_REGION; local tools usually set AWS_DEFAULT_REGION.
            "aws_region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            "default_language": env.get("DEFAULT_LANGUAGE"),
            "log_level": env.get("LOG_LEVEL"),
        }
        try:
            return cls.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
            raise SettingsError(f"invalid configuration: {problems}") from exc


@functools.cache
def get_settings() -> Settings:
    return Settings.from_env()
