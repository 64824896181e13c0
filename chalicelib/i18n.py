"""Languages and translated messages. Chinese first, English available.

The language of a request is chosen, in order, by ``?lang=``, the ``lang`` cookie (set when a person picks a
language on a page), the ``Accept-Language`` header, then the configured default.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"

# One catalogue for API errors and page text. Keys are stable identifiers; placeholders use str.format names.
MESSAGES: Final[dict[str, dict[str, str]]] = {
    # errors
    "bad_request": {"zh": "请求无法处理。", "en": "The request could not be processed."},
    "validation_failed": {"zh": "提交的内容有误，请检查后重试。", "en": "Some of the input is invalid."},
    "invalid_json": {"zh": "请求体不是有效的 JSON。", "en": "The request body is not valid JSON."},
    "unauthenticated": {"zh": "请先登录。", "en": "Please sign in first."},
    "forbidden": {"zh": "您没有权限进行此操作。", "en": "You are not allowed to do this."},
    "not_found": {"zh": "找不到您要的页面或资源。", "en": "The page or resource was not found."},
    "method_not_allowed": {
        "zh": "此地址不支持 {method} 请求。",
        "en": "{method} is not supported at this address.",
    },
    "unsupported_media_type": {
        "zh": "不支持的内容类型：{content_type}。",
        "en": "Unsupported content type: {content_type}.",
    },
    "not_acceptable": {
        "zh": "无法以请求的格式返回结果。",
        "en": "The response cannot be given in that format.",
    },
    "conflict": {"zh": "操作与当前状态冲突，请刷新后重试。", "en": "This conflicts with the current state."},
    "rate_limited": {"zh": "操作过于频繁，请稍后再试。", "en": "Too many attempts; please try again later."},
    "dependency_unavailable": {
        "zh": "服务暂时不可用，请稍后再试。",
        "en": "The service is temporarily unavailable; please try again shortly.",
    },
    "internal_error": {
        "zh": "服务器出错了，我们已记录此问题（编号 {request_id}）。",
        "en": "Something went wrong on our side; it has been logged (reference {request_id}).",
    },
    "invalid_credentials": {"zh": "工号或密码不正确。", "en": "The staff number or password is incorrect."},
    "session_expired": {"zh": "登录已过期，请重新登录。", "en": "Your session has expired; please sign in again."},
    "activation_invalid": {
        "zh": "激活码无效、已使用或已过期，请向本单位工会管理员索取新的激活码。",
        "en": "The activation code is invalid, used or expired; ask your unit's union admin for a new one.",
    },
    "bad_cursor": {
        "zh": "翻页参数无效，请从第一页重新开始。",
        "en": "Invalid page cursor; start again from the first page.",
    },
    "unknown_unit": {"zh": "没有这个二级工会。", "en": "There is no such unit."},
    # validation problems (pydantic error types)
    "field.missing": {"zh": "必填项", "en": "This field is required"},
    "field.extra_forbidden": {"zh": "不允许的字段", "en": "This field is not allowed"},
    "field.string_too_short": {
        "zh": "至少 {min_length} 个字符",
        "en": "Must be at least {min_length} characters",
    },
    "field.string_too_long": {
        "zh": "最多 {max_length} 个字符",
        "en": "Must be at most {max_length} characters",
    },
    "field.string_pattern_mismatch": {"zh": "格式不正确", "en": "Has the wrong format"},
    "field.string_type": {"zh": "应为文本", "en": "Must be text"},
    "field.int_parsing": {"zh": "应为整数", "en": "Must be a whole number"},
    "field.int_type": {"zh": "应为整数", "en": "Must be a whole number"},
    "field.float_parsing": {"zh": "应为数字", "en": "Must be a number"},
    "field.bool_parsing": {"zh": "应为“是”或“否”", "en": "Must be yes or no"},
    "field.greater_than_equal": {"zh": "不能小于 {ge}", "en": "Must be at least {ge}"},
    "field.less_than_equal": {"zh": "不能大于 {le}", "en": "Must be at most {le}"},
    "field.greater_than": {"zh": "必须大于 {gt}", "en": "Must be greater than {gt}"},
    "field.less_than": {"zh": "必须小于 {lt}", "en": "Must be less than {lt}"},
    "field.literal_error": {"zh": "可选值：{expected}", "en": "Must be one of: {expected}"},
    "field.enum": {"zh": "可选值：{expected}", "en": "Must be one of: {expected}"},
    "field.date_from_datetime_parsing": {
        "zh": "日期格式应为 YYYY-MM-DD",
        "en": "Must be a date (YYYY-MM-DD)",
    },
    "field.date_parsing": {"zh": "日期格式应为 YYYY-MM-DD", "en": "Must be a date (YYYY-MM-DD)"},
    "field.datetime_parsing": {"zh": "时间格式不正确", "en": "Must be a date and time"},
    "field.model_type": {"zh": "应为对象", "en": "Must be an object"},
    "field.list_type": {"zh": "应为列表", "en": "Must be a list"},
    "field.value_error": {"zh": "{error}", "en": "{error}"},
    "field.password_too_short": {"zh": "密码至少 8 个字符", "en": "The password needs at least 8 characters"},
    "field.password_too_long": {"zh": "密码最多 128 个字符", "en": "The password may have at most 128 characters"},
    "field.password_same_as_staff_no": {
        "zh": "密码不能与工号相同",
        "en": "The password must differ from the staff number",
    },
    "field.password_too_simple": {"zh": "密码过于简单，请换一个", "en": "This password is too easy to guess"},
    # pages
    "app.name": {"zh": "工会活动与赛事平台", "en": "Union Events"},
    "app.tagline": {
        "zh": "报名、签到、赛事，一个链接就够了。",
        "en": "Registration, check-in and competitions from one link.",
    },
    "nav.home": {"zh": "首页", "en": "Home"},
    "nav.api": {"zh": "接口文档", "en": "API"},
    "lang.switch": {"zh": "English", "en": "中文"},
    "home.upcoming": {"zh": "近期活动", "en": "Upcoming events"},
    "home.none": {"zh": "暂无活动。", "en": "No events yet."},
    "home.units": {"zh": "二级工会", "en": "Sub-unions"},
    "home.units_count": {"zh": "共 {count} 个二级工会", "en": "{count} sub-unions"},
    "event.kind.sports": {"zh": "体育赛事", "en": "Sports"},
    "event.kind.skills": {"zh": "技能竞赛", "en": "Skills contest"},
    "event.kind.wellness": {"zh": "健康活动", "en": "Wellness"},
    "error.title": {"zh": "出错了", "en": "Something went wrong"},
    "error.back_home": {"zh": "返回首页", "en": "Back to the home page"},
    "error.reference": {"zh": "编号", "en": "Reference"},
    "api.title": {"zh": "接口文档", "en": "API reference"},
    "api.intro": {
        "zh": "所有 JSON 接口都在 /api/ 下。机器可读的 OpenAPI 3.1 文档：",
        "en": "Every JSON route lives under /api/. Machine-readable OpenAPI 3.1 document:",
    },
    "api.request_body": {"zh": "请求体", "en": "Request body"},
    "api.responses": {"zh": "响应", "en": "Responses"},
    "api.parameters": {"zh": "参数", "en": "Parameters"},
    "footer.text": {"zh": "校工会 · 工会活动与赛事平台", "en": "School union · Union Events"},
}


def translate(key: str, language: str, **params: object) -> str:
    """The message for ``key`` in ``language`` (falling back to Chinese, then to the key itself)."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        # A message whose parameters were not supplied is still better shown than lost.
        return template


def _accept_language_choice(header: str) -> str | None:
    """Best supported language from an Accept-Language header, honouring q-values."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        fields = part.strip().split(";")
        tag = fields[0].strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary not in LANGUAGES or quality <= 0:
            continue
        candidate = (quality, -position, primary)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def negotiate_language(
    query_lang: str | None,
    cookie_lang: str | None,
    accept_language: str | None,
    default: str = DEFAULT_LANGUAGE,
) -> str:
    for explicit in (query_lang, cookie_lang):
        if explicit and explicit.lower()[:2] in LANGUAGES:
            return explicit.lower()[:2]
    if accept_language:
        chosen = _accept_language_choice(accept_language)
        if chosen:
            return chosen
    return default if default in LANGUAGES else DEFAULT_LANGUAGE
