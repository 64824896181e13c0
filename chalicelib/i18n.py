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
    # account and admin pages
    "field.too_long": {"zh": "最多 {max_length} 项", "en": "At most {max_length} items"},
    "nav.signin": {"zh": "登录", "en": "Sign in"},
    "nav.me": {"zh": "我的", "en": "Me"},
    "nav.admin": {"zh": "管理", "en": "Admin"},
    "form.cross_origin": {
        "zh": "表单必须从本站页面提交。",
        "en": "This form must be sent from this site's own pages.",
    },
    "form.save": {"zh": "保存", "en": "Save"},
    "account.staff_no": {"zh": "工号", "en": "Staff number"},
    "account.password": {"zh": "密码", "en": "Password"},
    "account.password_hint": {
        "zh": "至少 8 个字符，不能与工号相同，不要用过于简单的密码。",
        "en": "At least 8 characters, not your staff number, not an easy guess.",
    },
    "account.password_mismatch": {"zh": "两次输入的密码不一致", "en": "The two passwords do not match"},
    "account.current_password_wrong": {"zh": "当前密码不正确", "en": "The current password is incorrect"},
    "signin.title": {"zh": "登录", "en": "Sign in"},
    "signin.intro": {"zh": "请用工号和密码登录。", "en": "Sign in with your staff number and password."},
    "signin.submit": {"zh": "登录", "en": "Sign in"},
    "signin.first_time": {"zh": "第一次使用？", "en": "First time here?"},
    "signin.activate_link": {"zh": "用激活码激活账号", "en": "Activate your account with a code"},
    "activate.title": {"zh": "激活账号", "en": "Activate your account"},
    "activate.intro": {
        "zh": "激活码由您所在单位的二级工会管理员发放。激活时设置密码，以后用工号和这个密码登录。",
        "en": "Your activation code comes from the union admin of your unit (sub-union). Choose a password now; "
        "from then on you sign in with your staff number and that password.",
    },
    "activate.code": {"zh": "激活码", "en": "Activation code"},
    "activate.code_hint": {
        "zh": "激活码只能使用一次，30 天内有效。",
        "en": "A code works once and is valid for 30 days.",
    },
    "activate.new_password": {"zh": "设置密码", "en": "Choose a password"},
    "activate.confirm_password": {"zh": "再次输入密码", "en": "The password again"},
    "activate.submit": {"zh": "激活并登录", "en": "Activate and sign in"},
    "activate.no_code": {
        "zh": "没有激活码，或激活码已过期？请联系本单位的二级工会管理员重新获取。",
        "en": "No code, or it has expired? Ask your unit's union admin for a new one.",
    },
    "activate.have_password": {"zh": "已经激活过？直接登录", "en": "Already activated? Sign in"},
    "me.title": {"zh": "我的资料", "en": "My profile"},
    "me.roles": {"zh": "角色", "en": "Roles"},
    "me.not_given": {"zh": "未填写", "en": "Not given"},
    "me.fix_hint": {
        "zh": "资料有误？请联系本单位的二级工会管理员修改。",
        "en": "Something wrong? Ask your unit's union admin to correct it.",
    },
    "me.administers": {"zh": "我管理的二级工会", "en": "Sub-unions I administer"},
    "me.password_title": {"zh": "修改密码", "en": "Change my password"},
    "me.current_password": {"zh": "当前密码", "en": "Current password"},
    "me.new_password": {"zh": "新密码", "en": "New password"},
    "me.new_password_confirm": {"zh": "再次输入新密码", "en": "New password again"},
    "me.password_submit": {"zh": "修改密码", "en": "Change password"},
    "me.password_saved": {
        "zh": "密码已修改，其他设备上的登录已退出。",
        "en": "Your password was changed; you were signed out on your other devices.",
    },
    "me.signout": {"zh": "退出登录", "en": "Sign out"},
    "member.field.staff_no": {"zh": "工号", "en": "Staff No"},
    "member.field.name": {"zh": "姓名", "en": "Name"},
    "member.field.gender": {"zh": "性别", "en": "Gender"},
    "member.field.birth_date": {"zh": "出生日期", "en": "Date of birth"},
    "member.field.unit_id": {"zh": "二级工会", "en": "Sub-union"},
    "member.field.phone": {"zh": "手机号", "en": "Mobile"},
    "member.field.email": {"zh": "邮箱", "en": "Email"},
    "member.field.status": {"zh": "状态", "en": "Status"},
    "member.gender.F": {"zh": "女", "en": "Female"},
    "member.gender.M": {"zh": "男", "en": "Male"},
    "member.status.active": {"zh": "在职", "en": "Active"},
    "member.status.retired": {"zh": "退休", "en": "Retired"},
    "member.status.left": {"zh": "离职", "en": "Left"},
    "role.member": {"zh": "会员", "en": "Member"},
    "role.unit_admin": {"zh": "二级工会管理员", "en": "Unit admin"},
    "role.union_admin": {"zh": "校工会管理员", "en": "Union admin"},
    "admin.title": {"zh": "工会管理", "en": "Union admin"},
    "admin.units_mine": {"zh": "我管理的二级工会", "en": "My sub-unions"},
    "admin.units_all": {"zh": "全部二级工会", "en": "All sub-unions"},
    "admin.members": {"zh": "会员", "en": "Members"},
    "admin.audit": {"zh": "操作记录", "en": "Change log"},
    "admin.audit_all": {"zh": "全校操作记录", "en": "Whole change log"},
    "admin.import": {"zh": "导入会员名册", "en": "Import a roster"},
    "admin.manage_units": {"zh": "二级工会与管理员", "en": "Sub-unions and admins"},
    "admin.none": {"zh": "暂无", "en": "None"},
    "admin.members.search": {"zh": "工号开头或姓名", "en": "Staff number prefix or name"},
    "admin.members.search_submit": {"zh": "搜索", "en": "Search"},
    "admin.members.results_for": {"zh": "“{q}”的搜索结果", "en": "Results for “{q}”"},
    "admin.members.clear": {"zh": "显示全部", "en": "Show all"},
    "admin.members.none": {"zh": "没有找到会员。", "en": "No members found."},
    "admin.members.next": {"zh": "下一页", "en": "Next page"},
    "admin.members.first": {"zh": "回到第一页", "en": "First page"},
    "admin.codes.title": {"zh": "激活码", "en": "Activation codes"},
    "admin.codes.intro": {
        "zh": "为尚未激活账号的会员生成一次性激活码（30 天内有效），下载为表格后发给本人。"
        "每次生成都会让这些会员之前的激活码失效。",
        "en": "Issues one-time codes (valid for 30 days) for the members who have not activated their account, "
        "as a sheet to hand out. Each new sheet makes those members' earlier codes stop working.",
    },
    "admin.codes.submit": {"zh": "生成并下载激活码表", "en": "Issue codes and download the sheet"},
    "admin.member.title": {"zh": "编辑会员", "en": "Edit member"},
    "admin.member.back": {"zh": "返回会员列表", "en": "Back to the members"},
    "admin.member.saved": {"zh": "已保存。", "en": "Saved."},
    "admin.member.read_only": {
        "zh": "您可以查看但不能修改该会员的资料。",
        "en": "You may view this member but not change them.",
    },
    "admin.member.move_hint": {
        "zh": "只能调到您管理的二级工会。",
        "en": "A member can be moved only to a sub-union you administer.",
    },
    "admin.member.status_hint": {
        "zh": "离职的会员不能再登录。",
        "en": "Members who have left can no longer sign in.",
    },
    "admin.import.title": {"zh": "导入会员名册", "en": "Import the member roster"},
    "admin.import.intro": {
        "zh": "上传 Excel（.xlsx）或 CSV 文件。系统先检查整个文件：只要有一处问题，整个文件都不导入，并列出所有问题，"
        "修正后重新上传即可。已有的会员按工号更新。",
        "en": "Upload an Excel (.xlsx) or CSV file. The whole file is checked first: if anything is wrong, nothing "
        "is imported and every problem is listed; fix them and upload again. Existing members are updated by "
        "staff number.",
    },
    "admin.import.file": {"zh": "选择文件", "en": "Choose a file"},
    "admin.import.submit": {"zh": "上传并导入", "en": "Upload and import"},
    "admin.import.how": {"zh": "填写说明", "en": "How to fill in the file"},
    "admin.import.template": {"zh": "下载模板（CSV）", "en": "Download the template (CSV)"},
    "admin.import.required": {"zh": "必填列：", "en": "Required columns: "},
    "admin.import.optional": {"zh": "选填列：", "en": "Optional columns: "},
    "admin.import.separator": {"zh": "、", "en": ", "},
    "admin.import.genders": {"zh": "性别：填“男”或“女”。", "en": "Gender: 男/女, M/F or male/female."},
    "admin.import.dates": {
        "zh": "出生日期：可写作 1985-04-17、1985/4/17、1985.4.17、1985年4月17日 或 19850417，"
        "也可以是 Excel 日期单元格。",
        "en": "Date of birth: 1985-04-17, 1985/4/17, 1985.4.17, 1985年4月17日 or 19850417, or an Excel date cell.",
    },
    "admin.import.statuses": {
        "zh": "状态：填“在职”“退休”或“离职”，留空表示在职。",
        "en": "Status: active (在职), retired (退休) or left (离职); empty means active.",
    },
    "admin.import.limits": {
        "zh": "每个文件最多 5 MB、20,000 行；表头上方可以有标题行，多余的列（如序号、备注）会被忽略。",
        "en": "Up to 5 MB and 20,000 rows per file; title rows above the header and extra columns (such as "
        "序号 or 备注) are ignored.",
    },
    "admin.import.own_units": {
        "zh": "二级工会管理员只能导入本单位的会员。",
        "en": "As a unit admin you can import members of your own units only.",
    },
    "admin.import.units": {
        "zh": "“二级工会”一列可填全称、简称或编号：",
        "en": "Name the sub-union by its full name, short name or code:",
    },
    "admin.import.no_file": {"zh": "请先选择文件。", "en": "Choose a file first."},
    "admin.import.working": {"zh": "正在检查并导入……", "en": "Checking and importing…"},
    "admin.import.accepted": {
        "zh": "导入成功：共 {rows} 行，新增 {created} 人，更新 {updated} 人，{unchanged} 人无变化。",
        "en": "Imported: {rows} rows; {created} new, {updated} updated, {unchanged} unchanged.",
    },
    "admin.import.rejected": {
        "zh": "文件没有导入。请修正以下 {count} 个问题后重新上传：",
        "en": "Nothing was imported. Fix these {count} problems and upload again:",
    },
    "admin.import.failed": {"zh": "上传失败。{message}", "en": "The upload failed. {message}"},
    "admin.import.row": {"zh": "行", "en": "Row"},
    "admin.import.column": {"zh": "列", "en": "Column"},
    "admin.import.problem": {"zh": "问题", "en": "Problem"},
    "admin.import.whole_file": {"zh": "整个文件", "en": "Whole file"},
    "admin.units.title": {"zh": "二级工会与管理员", "en": "Sub-unions and their admins"},
    "admin.units.count": {"zh": "共 {count} 个二级工会", "en": "{count} sub-unions"},
    "admin.units.create": {"zh": "新建二级工会", "en": "New sub-union"},
    "admin.units.unit_id": {"zh": "编号", "en": "Code"},
    "admin.units.unit_id_hint": {
        "zh": "小写字母开头，只用小写字母、数字和连字符，如 cs；创建后不能修改。",
        "en": "Starts with a lowercase letter; lowercase letters, digits and hyphens only, e.g. cs. "
        "It cannot be changed later.",
    },
    "admin.units.name_zh": {"zh": "中文名称", "en": "Chinese name"},
    "admin.units.name_en": {"zh": "英文名称", "en": "English name"},
    "admin.units.short_name": {"zh": "简称", "en": "Short name"},
    "admin.units.campus": {"zh": "校区", "en": "Campus"},
    "admin.units.position": {"zh": "排序", "en": "Position"},
    "admin.units.position_hint": {"zh": "数字小的排在前面。", "en": "Smaller numbers come first in lists."},
    "admin.units.create_submit": {"zh": "创建", "en": "Create"},
    "admin.units.created": {"zh": "二级工会已创建。", "en": "The sub-union was created."},
    "admin.units.exists": {"zh": "这个编号已被使用，请换一个。", "en": "This code is already in use."},
    "admin.units.admins": {"zh": "管理员", "en": "Admins"},
    "admin.units.set_admins": {"zh": "设置管理员", "en": "Set the admins"},
    "admin.units.admins_input": {"zh": "管理员工号", "en": "Admins' staff numbers"},
    "admin.units.admins_hint": {
        "zh": "用空格或逗号分隔；留空表示取消全部管理员。",
        "en": "Separated by spaces or commas; leave empty to remove every admin.",
    },
    "admin.units.admins_submit": {"zh": "保存管理员", "en": "Save the admins"},
    "admin.units.admins_saved": {"zh": "管理员已更新。", "en": "The admins were updated."},
    "admin.units.admins_conflict": {
        "zh": "没有保存：请确认每个工号都是已登记的会员。",
        "en": "Not saved: every staff number must be a registered member's.",
    },
    "admin.audit.title": {"zh": "操作记录", "en": "Change log"},
    "admin.audit.scope": {"zh": "范围", "en": "Scope"},
    "admin.audit.all": {"zh": "全校", "en": "Whole union"},
    "admin.audit.show": {"zh": "查看", "en": "Show"},
    "admin.audit.latest": {
        "zh": "最近 {count} 条，按时间倒序（北京时间）。",
        "en": "The latest {count}, newest first (China time).",
    },
    "admin.audit.none": {"zh": "暂无记录。", "en": "Nothing recorded yet."},
    "admin.audit.by": {"zh": "操作人", "en": "by"},
    "admin.audit.field": {"zh": "项目", "en": "Field"},
    "admin.audit.before": {"zh": "修改前", "en": "Before"},
    "admin.audit.after": {"zh": "修改后", "en": "After"},
    "audit.action.member.update": {"zh": "修改会员资料", "en": "Member changed"},
    "audit.action.roster.import": {"zh": "导入名册", "en": "Roster imported"},
    "audit.action.unit.create": {"zh": "新建二级工会", "en": "Sub-union created"},
    "audit.action.unit.update": {"zh": "修改二级工会", "en": "Sub-union changed"},
    "audit.action.unit.admins": {"zh": "设置管理员", "en": "Admins appointed"},
    "audit.field.created_or_updated": {"zh": "新增或更新人数", "en": "Created or updated"},
    "audit.field.staff_nos": {"zh": "工号", "en": "Staff numbers"},
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
