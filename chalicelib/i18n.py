"""Languages and translated messages. Chinese first, English available.

The language of a request is chosen, in order, by ``?lang=``, the ``lang`` cookie (set when a person picks a
language on a page), the ``Accept-Language`` header, then the configured default.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"
# The catalogues: chalicelib/locale/<locale>/LC_MESSAGES/messages.po (the source, edited by hand), compiled to
# messages.mo beside it (`python -m devtools.check_messages --compile`; `make test` fails when a .mo is stale).
LOCALE_DIR: Final = Path(__file__).parent / "locale"
CATALOGUE_LOCALES: Final = {"zh": "zh_CN", "en": "en"}

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
    "unprocessable": {"zh": "请求无法处理。", "en": "The request cannot be processed."},
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
        "zh": "二级工会管理员只能导入本单位的会员；含有其他二级工会会员（或校工会管理员、或把自己设为离职）的行"
        "会在报告中列出，整个文件不会导入。",
        "en": "As a unit admin you can import members of your own units only; rows for members of other units (or a "
        "union admin, or setting yourself to left) are listed in the report and the whole file is not imported.",
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
    "audit.action.event.create": {"zh": "新建活动", "en": "Event created"},
    "audit.action.event.update": {"zh": "修改活动", "en": "Event changed"},
    "audit.action.event.published": {"zh": "发布活动", "en": "Event published"},
    "audit.action.event.registration_open": {"zh": "开放报名", "en": "Registration opened"},
    "audit.action.event.registration_closed": {"zh": "截止报名", "en": "Registration closed"},
    "audit.action.event.running": {"zh": "活动开始", "en": "Event started"},
    "audit.action.event.finished": {"zh": "活动结束", "en": "Event finished"},
    "audit.action.event.cancelled": {"zh": "取消活动", "en": "Event cancelled"},
    "audit.action.registration.add": {"zh": "代为报名", "en": "Registration added"},
    "audit.action.registration.remove": {"zh": "移除报名", "en": "Registration removed"},
    # organiser pages: events, their forms and registrations (chalicelib.web.manage_pages)
    "manage.title": {"zh": "活动管理", "en": "Events"},
    "manage.new": {"zh": "新建活动", "en": "New event"},
    "manage.new_intro": {
        "zh": "新活动先保存为草稿，检查无误后再发布。",
        "en": "A new event is saved as a draft; publish it when everything is right.",
    },
    "manage.none": {"zh": "还没有活动。", "en": "No events yet."},
    "manage.unit_picker": {"zh": "主办单位", "en": "Organising unit"},
    "manage.all_mine": {"zh": "我管理的全部单位", "en": "All my units"},
    "manage.show": {"zh": "显示", "en": "Show"},
    "manage.unlimited": {"zh": "不限", "en": "no limit"},
    "manage.confirmed_of": {"zh": "已确认 {confirmed} / {capacity}", "en": "Confirmed {confirmed} / {capacity}"},
    "manage.waiting_count": {"zh": "候补 {count}", "en": "{count} waiting"},
    "manage.edit": {"zh": "编辑", "en": "Edit"},
    "manage.registrations": {"zh": "报名名单", "en": "Registrations"},
    "manage.form_editor": {"zh": "报名表", "en": "Registration form"},
    "manage.public_page": {"zh": "活动页面", "en": "Public page"},
    "manage.create_submit": {"zh": "保存为草稿", "en": "Save as draft"},
    "manage.status.draft": {"zh": "草稿", "en": "Draft"},
    "manage.status.published": {"zh": "已发布", "en": "Published"},
    "manage.status.registration_open": {"zh": "报名中", "en": "Registration open"},
    "manage.status.registration_closed": {"zh": "报名截止", "en": "Registration closed"},
    "manage.status.running": {"zh": "进行中", "en": "Running"},
    "manage.status.finished": {"zh": "已结束", "en": "Finished"},
    "manage.status.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "manage.status_title": {"zh": "活动状态", "en": "Status"},
    "manage.status_hint": {
        "zh": "发布后会员可以看到活动；报名按报名时间自动开放和截止，也可以在这里手动开放或截止。",
        "en": "Members see the event once it is published; registration opens and closes on its dates, "
        "or here by hand.",
    },
    "manage.status_final": {"zh": "活动已结束或已取消，状态不能再改变。", "en": "The event is over or cancelled."},
    "manage.status_unknown": {"zh": "没有这个状态。", "en": "There is no such status."},
    "manage.action.published": {"zh": "发布", "en": "Publish"},
    "manage.action.registration_open": {"zh": "开放报名", "en": "Open registration"},
    "manage.action.registration_closed": {"zh": "截止报名", "en": "Close registration"},
    "manage.action.running": {"zh": "开始", "en": "Start"},
    "manage.action.finished": {"zh": "结束", "en": "Finish"},
    "manage.action.cancelled": {"zh": "取消活动", "en": "Cancel event"},
    "manage.cancel_confirm": {
        "zh": "确定取消这个活动吗？已报名的会员会收到通知，取消后不能恢复。",
        "en": "Cancel this event? Registered members will be told; this cannot be undone.",
    },
    "manage.format.tournament": {"zh": "比赛（对阵）", "en": "Tournament"},
    "manage.format.meet": {"zh": "运动会（多项目）", "en": "Athletics meet"},
    "manage.format.contest": {"zh": "技能比赛（评分）", "en": "Judged contest"},
    "manage.format.class": {"zh": "课程（多次课）", "en": "Class (several sessions)"},
    "manage.format.session": {"zh": "讲座 / 单次活动", "en": "Lecture or workshop"},
    "manage.format.mass": {"zh": "群众性活动", "en": "Mass activity"},
    "manage.format.retreat": {"zh": "疗休养（名额分配）", "en": "Retreat (scarce places)"},
    "manage.field.owner_unit_id": {"zh": "主办单位", "en": "Organising unit"},
    "manage.field.kind": {"zh": "活动类别", "en": "Kind"},
    "manage.field.format": {"zh": "活动形式", "en": "Format"},
    "manage.field.title_zh": {"zh": "活动名称（中文）", "en": "Title (Chinese)"},
    "manage.field.title_en": {"zh": "活动名称（英文，可选）", "en": "Title (English, optional)"},
    "manage.field.description_zh": {"zh": "活动介绍（中文）", "en": "Description (Chinese)"},
    "manage.field.description_en": {"zh": "活动介绍（英文，可选）", "en": "Description (English, optional)"},
    "manage.field.venue": {"zh": "地点", "en": "Venue"},
    "manage.field.campus": {"zh": "校区", "en": "Campus"},
    "manage.field.contact": {"zh": "联系人 / 电话", "en": "Contact"},
    "manage.field.capacity": {"zh": "名额", "en": "Places"},
    "manage.field.waiting_list": {"zh": "名额满后可以候补", "en": "Keep a waiting list when full"},
    "manage.field.starts_at": {"zh": "开始时间", "en": "Starts"},
    "manage.field.ends_at": {"zh": "结束时间", "en": "Ends"},
    "manage.field.registration_opens_at": {"zh": "报名开始", "en": "Registration opens"},
    "manage.field.registration_closes_at": {"zh": "报名截止", "en": "Registration closes"},
    "manage.field.cancel_deadline": {"zh": "取消报名截止", "en": "Cancellation deadline"},
    "manage.field.audience_scope": {"zh": "谁可以报名", "en": "Who may register"},
    "manage.field.audience_units": {"zh": "指定单位", "en": "Listed units"},
    "manage.field.audience_gender": {"zh": "性别", "en": "Gender"},
    "manage.field.audience_min_age": {"zh": "最小年龄", "en": "Minimum age"},
    "manage.field.audience_max_age": {"zh": "最大年龄", "en": "Maximum age"},
    "manage.field.single_sessions": {"zh": "允许只报名其中一次课", "en": "Members may register for single sessions"},
    "manage.field.sessions": {"zh": "课次", "en": "Sessions"},
    "manage.group.times": {"zh": "时间", "en": "Dates and times"},
    "manage.group.audience": {"zh": "报名范围", "en": "Audience"},
    "manage.group.sessions": {"zh": "课程的课次", "en": "Sessions of a class"},
    "manage.hint.contact": {"zh": "例如：王老师 13800000000", "en": "For example: Ms Wang 13800000000"},
    "manage.hint.capacity": {"zh": "留空表示不限名额", "en": "Leave empty for no limit"},
    "manage.hint.china_time": {"zh": "均为北京时间。", "en": "All times are China time (UTC+8)."},
    "manage.hint.opens": {"zh": "留空：发布后即可报名", "en": "Empty: as soon as the event is published"},
    "manage.hint.closes": {"zh": "留空：活动开始时截止", "en": "Empty: when the event starts"},
    "manage.hint.cancel_deadline": {
        "zh": "会员在此之前可以自己取消报名；留空：活动开始前",
        "en": "Members may cancel until then; empty: until the event starts",
    },
    "manage.hint.audience_units": {
        "zh": "仅在选择“指定单位”时有效；电脑上按住 Ctrl（Mac 为 ⌘）可多选。",
        "en": "Only used with “Listed units”; hold Ctrl (⌘ on a Mac) to pick several.",
    },
    "manage.hint.age": {
        "zh": "按活动当天的周岁计算，留空表示不限。",
        "en": "Age on the day of the event; empty: no limit.",
    },
    "manage.hint.sessions": {
        "zh": "每行一次课：日期 开始-结束 场地 名额，例如“2026-03-02 19:00-20:30 体育馆 20”。场地和名额可省略，"
        "最后一个数字是单次报名的名额。",
        "en": "One session a line: date start-end venue places, e.g. “2026-03-02 19:00-20:30 Gym 20”. Venue and "
        "places may be left out; a final number is the places for single-session registrations.",
    },
    "manage.audience.all": {"zh": "全体会员", "en": "Every member"},
    "manage.audience.units": {"zh": "指定单位的会员", "en": "Members of the listed units"},
    "manage.audience.own_unit": {"zh": "主办单位的会员", "en": "Members of the organising unit"},
    "manage.audience.any_gender": {"zh": "不限", "en": "Any"},
    "manage.sessions.bad_line": {
        "zh": "第 {line} 行看不懂：“{text}”。格式：2026-03-02 19:00-20:30 体育馆 20",
        "en": "Line {line} was not understood: “{text}”. Write: 2026-03-02 19:00-20:30 Gym 20",
    },
    "manage.sessions.line": {"zh": "第 {line} 行：", "en": "Line {line}: "},
    "manage.sessions.time": {"zh": "时间", "en": "Time"},
    "manage.sessions.read_only": {
        "zh": "课次在创建活动时确定，这里不能修改。",
        "en": "Sessions are set when the event is created and cannot be changed here.",
    },
    "manage.sessions.none": {"zh": "这个活动没有分课次。", "en": "This event has no sessions."},
    "manage.done.created": {"zh": "活动已保存为草稿。", "en": "The event was saved as a draft."},
    "manage.done.saved": {"zh": "已保存。", "en": "Saved."},
    "manage.done.status": {"zh": "活动状态已更新。", "en": "The status was changed."},
    "manage.done.form": {"zh": "报名表已保存。", "en": "The registration form was saved."},
    "manage.done.removed": {
        "zh": "已移除该报名；如有候补，第一位已自动递补。",
        "en": "The registration was removed; the first on the waiting list, if any, moved up.",
    },
    "manage.done.added": {"zh": "已代为报名，状态：已确认。", "en": "Registered as confirmed."},
    "manage.done.added_waiting": {
        "zh": "已代为报名，名额已满，进入候补。",
        "en": "The event is full: registered as waiting.",
    },
    "manage.confirm.title": {
        "zh": "已有会员报名，以下修改需要您确认：",
        "en": "Members have registered. Please confirm these changes:",
    },
    "manage.confirm.date_moved": {
        "zh": "活动时间改变（已报名的会员会收到通知）",
        "en": "The date or time moves (registered members will be told)",
    },
    "manage.confirm.venue_moved": {
        "zh": "活动地点或校区改变（已报名的会员会收到通知）",
        "en": "The venue or campus moves (registered members will be told)",
    },
    "manage.confirm.audience_narrowed": {
        "zh": "报名范围缩小（已报名的会员保留报名）",
        "en": "Fewer members may register (existing registrations stay)",
    },
    "manage.confirm.checkbox": {"zh": "我已知晓，通知已报名会员", "en": "I understand; notify the registered members"},
    "manage.refusal.capacity_below_confirmed": {
        "zh": "名额不能少于已确认的人数（{confirmed} 人）。",
        "en": "Places cannot be fewer than the confirmed registrations ({confirmed}).",
    },
    "manage.refusal.waiting_list_in_use": {
        "zh": "已有 {waiting} 人在候补，不能关闭候补。",
        "en": "{waiting} members are on the waiting list; it cannot be switched off.",
    },
    "manage.refusal.form_in_use": {
        "zh": "已有会员报名：报名表只能修改文字、放宽限制、增加选项或在末尾增加非必答题。",
        "en": "Members have registered: the form may only be relabelled, relaxed, given more options or new "
        "optional questions at the end.",
    },
    "manage.refusal.owner_changed": {"zh": "不能更换主办单位。", "en": "The organising unit cannot change."},
    "manage.form.title": {"zh": "报名表", "en": "Registration form"},
    "manage.form.preview": {"zh": "预览报名页", "en": "Preview the registration page"},
    "manage.form.save": {"zh": "保存报名表", "en": "Save the form"},
    "manage.form.in_use": {
        "zh": "已有会员报名：只能修改文字、放宽限制、增加选项，或在末尾增加非必答题。",
        "en": "Members have registered: you may relabel, relax limits, add options or add optional questions "
        "at the end.",
    },
    "manage.form.how": {"zh": "填写说明", "en": "How to fill this in"},
    "manage.form.how_rows": {
        "zh": "每行一个问题；问题（中文）留空的行不保存。编号留空时自动编为 q1、q2……",
        "en": "One question a row; rows without a Chinese label are left out. Empty ids become q1, q2, …",
    },
    "manage.form.how_options": {
        "zh": "选项写作“编号:名称[:名额]”，用逗号或换行分隔，例如 S:小号:50, M:中号:80, L:大号",
        "en": "Options as id:label[:limit], separated by commas or lines, e.g. S:Small:50, M:Medium:80, L:Large",
    },
    "manage.form.how_show_if": {
        "zh": "显示条件写作“q1=yes”或“q2=A|B”：只在前面的问题选了这些答案时显示。",
        "en": "Show-if as q1=yes or q2=A|B: shown only when an earlier question has one of these answers.",
    },
    "manage.form.how_limits": {
        "zh": "最小值、最大值用于数字题；最多字数用于文字题；最多选几项用于多选题。",
        "en": "Min and max are for numbers, max length for text, max choices for multiple choice.",
    },
    "manage.form.question_id": {"zh": "编号", "en": "Id"},
    "manage.form.kind": {"zh": "类型", "en": "Kind"},
    "manage.form.label_zh": {"zh": "问题（中文）", "en": "Question (Chinese)"},
    "manage.form.label_en": {"zh": "问题（英文）", "en": "Question (English)"},
    "manage.form.required": {"zh": "必答", "en": "Required"},
    "manage.form.min_value": {"zh": "最小值", "en": "Min"},
    "manage.form.max_value": {"zh": "最大值", "en": "Max"},
    "manage.form.integer": {"zh": "整数", "en": "Whole numbers"},
    "manage.form.decimals": {"zh": "允许小数", "en": "Decimals"},
    "manage.form.max_length": {"zh": "最多字数", "en": "Max length"},
    "manage.form.options": {"zh": "选项", "en": "Options"},
    "manage.form.option_id": {"zh": "选项编号", "en": "Option id"},
    "manage.form.max_choices": {"zh": "最多选几项", "en": "Max choices"},
    "manage.form.show_if": {"zh": "显示条件", "en": "Show if"},
    "manage.form.bad_option": {
        "zh": "选项“{text}”的格式应为 编号:名称[:名额]",
        "en": "Option “{text}” should be written id:label[:limit]",
    },
    "manage.form.bad_limit": {
        "zh": "选项“{text}”的名额应为整数",
        "en": "The limit of option “{text}” must be a whole number",
    },
    "manage.form.bad_show_if": {
        "zh": "显示条件“{text}”的格式应为 q1=yes 或 q2=A|B",
        "en": "Show-if “{text}” should be written q1=yes or q2=A|B",
    },
    "manage.form.reason.not_earlier": {"zh": "只能依据前面的问题", "en": "it must be an earlier question"},
    "manage.form.reason.unknown_parent": {"zh": "没有这个问题", "en": "there is no such question"},
    "manage.form.reason.parent_kind": {
        "zh": "只能依据单选、多选或是否题",
        "en": "it must be a choice or yes/no question",
    },
    "manage.form.reason.no_values": {"zh": "没有写答案", "en": "no answer is given"},
    "manage.form.reason.unknown_value": {"zh": "没有答案“{value}”", "en": "there is no answer “{value}”"},
    "manage.formp.too_many_questions": {"zh": "最多 {max} 个问题", "en": "At most {max} questions"},
    "manage.formp.bad_id": {
        "zh": "编号应以小写字母开头，只含小写字母、数字和下划线",
        "en": "An id starts with a lower-case letter and has only lower-case letters, digits and _",
    },
    "manage.formp.duplicate_id": {"zh": "编号重复", "en": "This id is used twice"},
    "manage.formp.bad_label": {"zh": "{field}不能为空，最多 {max} 个字", "en": "{field}: 1 to {max} characters"},
    "manage.formp.bad_kind": {"zh": "没有这种题型", "en": "Unknown kind"},
    "manage.formp.options_needed": {"zh": "选择题需要填写选项", "en": "A choice question needs options"},
    "manage.formp.options_not_allowed": {"zh": "只有选择题可以有选项", "en": "Only choice questions have options"},
    "manage.formp.bad_range": {"zh": "最小值不能大于最大值", "en": "Min is greater than max"},
    "manage.formp.setting_not_allowed": {
        "zh": "这种题型不能设置“{field}”",
        "en": "“{field}” does not apply to this kind",
    },
    "manage.formp.bad_max_length": {"zh": "最多字数应为 1 到 {max}", "en": "Max length must be 1 to {max}"},
    "manage.formp.bad_max_choices": {"zh": "最多选几项应为 1 到 {max}", "en": "Max choices must be 1 to {max}"},
    "manage.formp.bad_show_if": {"zh": "显示条件（{parent}）不对：{reason}", "en": "Show-if ({parent}): {reason}"},
    "manage.formp.too_many_options": {"zh": "最多 {max} 个选项", "en": "At most {max} options"},
    "manage.formp.bad_option": {"zh": "选项“{option}”的{field}不对", "en": "Option “{option}”: bad {field}"},
    "manage.formp.duplicate_option": {"zh": "选项编号“{option}”重复", "en": "Option id “{option}” is used twice"},
    "manage.formp.bad_limit": {
        "zh": "选项“{option}”的名额应为正整数",
        "en": "Option “{option}”: limit must be positive",
    },
    "manage.qkind.text": {"zh": "单行文字", "en": "Short text"},
    "manage.qkind.long_text": {"zh": "多行文字", "en": "Long text"},
    "manage.qkind.number": {"zh": "数字", "en": "Number"},
    "manage.qkind.single_choice": {"zh": "单选", "en": "Single choice"},
    "manage.qkind.multiple_choice": {"zh": "多选", "en": "Multiple choice"},
    "manage.qkind.date": {"zh": "日期", "en": "Date"},
    "manage.qkind.yes_no": {"zh": "是 / 否", "en": "Yes / no"},
    "manage.state.confirmed": {"zh": "已确认", "en": "Confirmed"},
    "manage.state.waiting": {"zh": "候补", "en": "Waiting"},
    "manage.state.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "manage.state.removed": {"zh": "已移除", "en": "Removed"},
    "manage.regs.title": {"zh": "报名名单", "en": "Registrations"},
    "manage.regs.export_xlsx": {"zh": "导出 Excel", "en": "Download Excel"},
    "manage.regs.export_csv": {"zh": "导出 CSV", "en": "Download CSV"},
    "manage.regs.filter_state": {"zh": "按状态筛选", "en": "Filter by state"},
    "manage.regs.filter_unit": {"zh": "按单位筛选", "en": "Filter by unit"},
    "manage.regs.all": {"zh": "全部", "en": "All"},
    "manage.regs.all_states": {"zh": "全部状态", "en": "Every state"},
    "manage.regs.all_units": {"zh": "全部单位", "en": "Every unit"},
    "manage.regs.staff_no": {"zh": "工号", "en": "Staff no."},
    "manage.regs.name": {"zh": "姓名", "en": "Name"},
    "manage.regs.unit": {"zh": "单位", "en": "Unit"},
    "manage.regs.scope": {"zh": "场次", "en": "Session"},
    "manage.regs.series": {"zh": "全程", "en": "Whole event"},
    "manage.regs.state": {"zh": "状态", "en": "State"},
    "manage.regs.registered_at": {"zh": "报名时间", "en": "Registered"},
    "manage.regs.position": {"zh": "第 {position} 位", "en": "No. {position}"},
    "manage.regs.added_by": {"zh": "由 {staff_no} 代报", "en": "Added by {staff_no}"},
    "manage.regs.reason_shown": {"zh": "移除原因：{reason}", "en": "Reason: {reason}"},
    "manage.regs.reason": {"zh": "移除原因（必填）", "en": "Reason (required)"},
    "manage.regs.reason_needed": {
        "zh": "请填写移除原因（最多 200 字）。",
        "en": "Please give a reason (up to 200 characters).",
    },
    "manage.regs.remove": {"zh": "移除", "en": "Remove"},
    "manage.regs.none": {"zh": "还没有人报名。", "en": "Nobody has registered yet."},
    "manage.regs.none_filtered": {"zh": "没有符合条件的报名。", "en": "No registrations match."},
    "manage.regs.add_title": {"zh": "代为报名", "en": "Register a member"},
    "manage.regs.add_intro": {
        "zh": "不受报名时间和报名范围限制，但不能超过名额（名额满时进入候补）。会员会收到通知。",
        "en": "Past the registration dates and audience, never past the places (when full: waiting list). "
        "The member is told.",
    },
    "manage.regs.add_submit": {"zh": "代为报名", "en": "Register"},
    "manage.regs.unknown_member": {"zh": "没有工号为 {staff_no} 的会员。", "en": "There is no member {staff_no}."},
    "manage.regs.already_registered": {"zh": "{staff_no} 已经报名了。", "en": "{staff_no} is already registered."},
    "manage.regs.summary": {
        "zh": "按单位汇总（已报名 / 已确认 / 候补）",
        "en": "By unit (registered / confirmed / waiting)",
    },
    "manage.regs.registered": {"zh": "已报名", "en": "Registered"},
    "manage.regs.total": {"zh": "合计", "en": "Total"},
    # events and registration
    "registration_unavailable": {
        "zh": "该活动未发布或已取消，不能报名。",
        "en": "This event is not open to registration.",
    },
    "registration_not_yet": {"zh": "报名尚未开始。", "en": "Registration has not opened yet."},
    "registration_closed": {"zh": "报名已截止。", "en": "Registration has closed."},
    "ineligible_member_left": {"zh": "您已不是在册会员，不能报名。", "en": "Only current members can register."},
    "ineligible_audience_unit": {
        "zh": "该活动只面向指定单位的会员。",
        "en": "This event is only for members of certain units.",
    },
    "ineligible_audience_gender": {"zh": "该活动有性别要求，您不符合。", "en": "This event is for one gender only."},
    "ineligible_audience_age": {"zh": "您的年龄不符合该活动的要求。", "en": "Your age is outside this event's range."},
    "single_sessions_not_allowed": {
        "zh": "该活动只能报名全部课次。",
        "en": "This event takes registrations for the whole series only.",
    },
    "event_full": {"zh": "名额已满。", "en": "The event is full."},
    "already_registered": {"zh": "您已经报名了。", "en": "You are already registered."},
    "option_full": {
        "zh": "您选择的选项名额已满（{question}：{option}），请换一个。",
        "en": "The option you chose is full ({question}: {option}); please pick another.",
    },
    "registration_busy": {
        "zh": "报名人数太多，请稍后重试。",
        "en": "Too many people are registering right now; please try again.",
    },
    "not_registered": {"zh": "没有找到这条有效报名。", "en": "There is no active registration to change."},
    "cancel_deadline_passed": {
        "zh": "已过取消报名的截止时间，请联系组织者。",
        "en": "The cancellation deadline has passed; please contact the organiser.",
    },
    "change_refused": {
        "zh": "这项修改会损害已报名会员的利益，不能保存。",
        "en": "This change would hurt registered members and cannot be saved.",
    },
    "confirmation_needed": {
        "zh": "已有会员报名，修改时间、地点或报名范围需要确认，确认后会通知已报名的会员。",
        "en": "Members have registered: confirm to move the date or venue or narrow the audience; they will be told.",
    },
    "event_changed_meanwhile": {
        "zh": "活动刚刚被其他人修改或有新的报名，请刷新后重试。",
        "en": "The event changed meanwhile; please reload and try again.",
    },
    "invalid_transition": {
        "zh": "活动不能从“{current}”变为“{target}”。",
        "en": "The event cannot go from {current} to {target}.",
    },
    "idempotency_key_reused": {
        "zh": "同一个 Idempotency-Key 已用于另一个请求。",
        "en": "This Idempotency-Key was already used for a different request.",
    },
    "request_in_progress": {
        "zh": "同一请求正在处理中，请稍候。",
        "en": "The same request is still being processed.",
    },
    "bad_idempotency_key": {
        "zh": "Idempotency-Key 应为 1 到 100 个可见字符。",
        "en": "An Idempotency-Key must be 1 to 100 visible characters.",
    },
    # allocation, organiser pages (chalicelib.web.allocation_pages and the event form's allocation fields)
    "alloc.manage.group": {"zh": "名额分配与参赛形式", "en": "Places and entries"},
    "alloc.manage.field.allocation": {"zh": "名额分配方式", "en": "How places are given out"},
    "alloc.manage.field.entry_type": {"zh": "参赛形式", "en": "Entry type"},
    "alloc.manage.allocation.first_come": {"zh": "先到先得", "en": "First come, first served"},
    "alloc.manage.allocation.approval": {"zh": "审核制", "en": "By approval"},
    "alloc.manage.allocation.lottery": {"zh": "抽签", "en": "By lot"},
    "alloc.manage.entry_type.individual": {"zh": "个人", "en": "Individual"},
    "alloc.manage.entry_type.pair": {"zh": "双人（搭档）", "en": "Pairs"},
    "alloc.manage.entry_type.team": {"zh": "团体（单位组队）", "en": "Teams (by unit)"},
    "alloc.manage.hint.allocation": {
        "zh": "审核制：报名后待组织者审核；抽签：报名截止后统一抽签，须设定名额。",
        "en": "Approval: entries wait for an organiser. Lottery: one draw once registration closes (needs places).",
    },
    "alloc.manage.hint.entry_type": {
        "zh": "双人项目由会员报名时填写搭档；团体项目由各单位工会报队，名额按队伍计算，只能先到先得。",
        "en": "Pairs: a member names a partner. Teams: units enter teams, places count teams, first come only.",
    },
    "alloc.manage.field.pair_gender": {"zh": "搭档性别要求", "en": "Partners' genders"},
    "alloc.manage.pair_gender.any": {"zh": "不限", "en": "Any"},
    "alloc.manage.pair_gender.same": {"zh": "同性别（男双 / 女双）", "en": "Same gender (men's / women's)"},
    "alloc.manage.pair_gender.mixed": {"zh": "混双（一男一女）", "en": "Mixed (one man, one woman)"},
    "alloc.manage.field.pair_same_unit": {"zh": "搭档须是同一单位会员", "en": "Both partners from the same unit"},
    "alloc.manage.hint.team": {
        "zh": "每队人数和组成要求（报名和换人时都会检查）：",
        "en": "Team rules (checked on entry and on substitutions):",
    },
    "alloc.manage.field.team_min_size": {"zh": "每队最少人数", "en": "Minimum players"},
    "alloc.manage.field.team_max_size": {"zh": "每队最多人数", "en": "Maximum players"},
    "alloc.manage.field.team_min_women": {"zh": "至少女队员", "en": "At least women"},
    "alloc.manage.field.team_min_men": {"zh": "至少男队员", "en": "At least men"},
    "alloc.manage.field.team_older_age": {"zh": "年龄线（岁）", "en": "Age line (years)"},
    "alloc.manage.field.team_max_older": {"zh": "超过年龄线的最多人数", "en": "Most players over the line"},
    "alloc.manage.field.team_min_age": {"zh": "队员最小年龄", "en": "Minimum age"},
    "alloc.manage.field.team_teams_per_unit": {"zh": "每单位最多队数", "en": "Teams per unit"},
    "alloc.manage.field.team_roster_deadline": {"zh": "换人截止时间", "en": "Substitutions until"},
    "alloc.manage.hint.roster_deadline": {"zh": "不填则到比赛开始为止。", "en": "Empty: until the event starts."},
    "alloc.manage.field.entry_group": {"zh": "项目组别", "en": "Event group"},
    "alloc.manage.field.entry_group_limit": {"zh": "每人限报项数", "en": "Events per member"},
    "alloc.manage.hint.entry_group": {
        "zh": "同一组别（如 2026-badminton）的项目，每人最多报名所填项数；两项须同时填写或都不填。",
        "en": "Events of one group (e.g. 2026-badminton) take a member that many times at most; give both or neither.",
    },
    "alloc.manage.field.lottery_priority_years": {"zh": "优先年限（年）", "en": "Priority years"},
    "alloc.manage.hint.priority_years": {
        "zh": "近几年内没有获得过疗休养名额的会员优先抽签（1–10 年，可不填）。",
        "en": "Members with no retreat place in that many years draw first (1–10, optional).",
    },
    "alloc.manage.hint.quotas": {
        "zh": "如需按单位分配名额，保存后在“名额分配”页面设置。",
        "en": "To share the places among units, use the Quotas page after saving.",
    },
    "alloc.manage.pending_count": {"zh": "待定 {count} 人", "en": "{count} pending"},
    "alloc.manage.state.pending": {"zh": "待审核 / 待抽签", "en": "Pending"},
    "alloc.manage.state.pending_approval": {"zh": "待审核", "en": "Awaiting approval"},
    "alloc.manage.state.pending_lottery": {"zh": "待抽签", "en": "Awaiting the draw"},
    "alloc.manage.state.awaiting_partner": {"zh": "等待搭档确认", "en": "Awaiting partner"},
    "alloc.manage.state.invited": {"zh": "受邀搭档", "en": "Invited as partner"},
    "alloc.manage.state.partner": {"zh": "搭档", "en": "Partner"},
    "alloc.manage.state.team": {"zh": "队员", "en": "On a team"},
    "alloc.manage.state.rejected": {"zh": "未通过", "en": "Rejected"},
    "alloc.manage.link.quotas": {"zh": "名额分配", "en": "Quotas"},
    "alloc.manage.link.teams": {"zh": "参赛队伍", "en": "Teams"},
    "alloc.manage.link.enter": {"zh": "代本单位会员报名", "en": "Enter my unit's members"},
    "alloc.manage.link.lottery": {"zh": "抽签公示", "en": "Lottery page"},
    "alloc.manage.done.approved": {"zh": "已审核通过，会员会收到通知。", "en": "Approved; the member is told."},
    "alloc.manage.done.rejected": {"zh": "已拒绝，会员会看到原因。", "en": "Rejected; the member sees the reason."},
    "alloc.manage.done.drawn": {
        "zh": "抽签完成，结果已公示，会员会收到通知。",
        "en": "The draw was made and published; members are told.",
    },
    "alloc.manage.done.quotas": {"zh": "名额分配已保存。", "en": "The quotas were saved."},
    "alloc.manage.done.entered": {"zh": "已代为报名，状态：已确认。", "en": "Entered as confirmed."},
    "alloc.manage.done.entered_waiting": {
        "zh": "已代为报名，名额已满，进入候补。",
        "en": "Entered on the waiting list.",
    },
    "alloc.manage.done.entered_pending": {
        "zh": "已代为报名，等待审核或抽签。",
        "en": "Entered; awaiting approval or the draw.",
    },
    "alloc.manage.done.team_entered": {"zh": "队伍已报名。", "en": "The team was entered."},
    "alloc.manage.done.team_changed": {"zh": "队伍名单已保存。", "en": "The roster was saved."},
    "alloc.manage.done.team_withdrawn": {"zh": "队伍已退赛。", "en": "The team was withdrawn."},
    "alloc.manage.approve": {"zh": "通过", "en": "Approve"},
    "alloc.manage.reject": {"zh": "拒绝", "en": "Reject"},
    "alloc.manage.reject_reason": {"zh": "拒绝原因（必填）", "en": "Reason (required)"},
    "alloc.manage.reject_reason_needed": {
        "zh": "请填写拒绝原因（最多 200 字），会员会看到。",
        "en": "Please give a reason (up to 200 characters); the member sees it.",
    },
    "alloc.manage.not_yours": {
        "zh": "您没有权限处理这条报名。",
        "en": "You may not decide on this registration.",
    },
    "alloc.manage.regs.partner": {"zh": "搭档：{name}（{staff_no}）", "en": "Partner: {name} ({staff_no})"},
    "alloc.manage.regs.team": {"zh": "队伍：{name}", "en": "Team: {name}"},
    "alloc.manage.regs.tier": {"zh": "抽签顺位：第 {tier} 档", "en": "Draw tier {tier}"},
    "alloc.manage.regs.reject_reason_shown": {"zh": "未通过原因：{reason}", "en": "Reason: {reason}"},
    "alloc.manage.regs.not_drawn": {"zh": "未抽中", "en": "Not drawn"},
    "alloc.manage.lottery.title": {"zh": "抽签", "en": "Lottery"},
    "alloc.manage.lottery.commitment": {
        "zh": "抽签种子的哈希值（创建活动时已公布，抽签后可据此核对）：",
        "en": "The hash of the draw's seed (published when the event was created, to check the draw by):",
    },
    "alloc.manage.lottery.drawn_at": {"zh": "已于 {at} 抽签。", "en": "Drawn at {at}."},
    "alloc.manage.lottery.draw_hint": {
        "zh": "报名已截止，共 {count} 人待抽签。抽签只能进行一次，结果不能更改。",
        "en": "Registration has closed; {count} applications wait. The draw is made once and cannot be changed.",
    },
    "alloc.manage.lottery.draw": {"zh": "抽签", "en": "Make the draw"},
    "alloc.manage.lottery.draw_confirm": {
        "zh": "确定现在抽签吗？抽签只能进行一次。",
        "en": "Make the draw now? It can be made only once.",
    },
    "alloc.manage.lottery.after_close": {
        "zh": "报名截止后才能抽签。",
        "en": "The draw can be made once registration closes.",
    },
    "alloc.manage.lottery.public_page": {"zh": "查看抽签公示页面", "en": "Public lottery page"},
    "alloc.manage.quotas.title": {"zh": "名额分配", "en": "Unit quotas"},
    "alloc.manage.quotas.use": {"zh": "各单位名额使用情况", "en": "Each unit's quota and use"},
    "alloc.manage.quotas.quota": {"zh": "名额", "en": "Quota"},
    "alloc.manage.quotas.used": {"zh": "已用", "en": "Used"},
    "alloc.manage.quotas.left": {"zh": "剩余", "en": "Left"},
    "alloc.manage.quotas.none": {"zh": "还没有按单位分配名额。", "en": "The places are not shared among units."},
    "alloc.manage.quotas.none_mine": {
        "zh": "本单位在该活动中没有分配名额。",
        "en": "Your units have no quota in this event.",
    },
    "alloc.manage.quotas.release_at": {
        "zh": "未用完的名额将于 {at} 释放给所有会员。",
        "en": "Unused quota places go back to everyone at {at}.",
    },
    "alloc.manage.quotas.released_at": {
        "zh": "未用完的名额已于 {at} 释放给所有会员。",
        "en": "Unused quota places went back to everyone at {at}.",
    },
    "alloc.manage.quotas.never_released": {
        "zh": "名额不释放，只能由各单位使用。",
        "en": "Quota places are never released.",
    },
    "alloc.manage.quotas.set_title": {"zh": "设置名额分配", "en": "Share out the places"},
    "alloc.manage.quotas.fixed": {"zh": "按单位填写固定名额", "en": "Fixed quotas per unit"},
    "alloc.manage.quotas.fixed_hint": {
        "zh": "各单位名额之和须等于总名额；不填的单位没有名额。",
        "en": "The quotas must add up to the capacity; a unit left empty gets none.",
    },
    "alloc.manage.quotas.sum": {"zh": "合计", "en": "Sum"},
    "alloc.manage.quotas.capacity": {"zh": "总名额", "en": "capacity"},
    "alloc.manage.quotas.proportional": {"zh": "按在册会员人数比例分配", "en": "In proportion to active members"},
    "alloc.manage.quotas.proportional_hint": {
        "zh": "先给每个单位保底名额，其余按在册会员人数比例分配（最大余额法）。",
        "en": "Every unit gets the minimum first; the rest goes by active members (largest remainders).",
    },
    "alloc.manage.quotas.minimum": {"zh": "每单位保底名额", "en": "Minimum per unit"},
    "alloc.manage.quotas.units": {"zh": "参与分配的单位", "en": "Units sharing the places"},
    "alloc.manage.quotas.units_hint": {
        "zh": "都不选：报名范围内的单位，未限定时为全部二级工会。",
        "en": "None chosen: the audience's units, else every sub-union.",
    },
    "alloc.manage.quotas.release_field": {"zh": "名额释放时间", "en": "Release date"},
    "alloc.manage.quotas.release_hint": {
        "zh": "到时各单位未用完的名额释放给所有会员；不填则不释放。须早于活动开始。",
        "en": "Unused quota places go back to everyone then; empty: never. Before the event starts.",
    },
    "alloc.manage.quotas.submit": {"zh": "保存名额分配", "en": "Save the quotas"},
    "alloc.manage.quotas.first_come": {
        "zh": "先到先得的活动不按单位分配名额；改为审核制或抽签后可以设置。",
        "en": "First-come events are not shared among units; choose approval or a lottery to set quotas.",
    },
    "alloc.manage.teams.title": {"zh": "参赛队伍", "en": "Teams"},
    "alloc.manage.teams.count": {
        "zh": "已报 {confirmed} 队 / 限 {capacity} 队",
        "en": "{confirmed} of {capacity} teams",
    },
    "alloc.manage.teams.rule": {"zh": "组队要求", "en": "Team rules"},
    "alloc.manage.rule.size": {"zh": "每队 {min}–{max} 人", "en": "{min} to {max} players a team"},
    "alloc.manage.rule.min_women": {"zh": "至少 {count} 名女队员", "en": "At least {count} women"},
    "alloc.manage.rule.min_men": {"zh": "至少 {count} 名男队员", "en": "At least {count} men"},
    "alloc.manage.rule.older": {"zh": "{age} 岁以上的队员最多 {count} 名", "en": "At most {count} players over {age}"},
    "alloc.manage.rule.min_age": {"zh": "队员须年满 {age} 岁", "en": "Players must be at least {age}"},
    "alloc.manage.rule.per_unit": {"zh": "每个单位最多报 {count} 队", "en": "At most {count} teams per unit"},
    "alloc.manage.rule.deadline": {"zh": "换人截止：{at}", "en": "Substitutions until {at}"},
    "alloc.manage.teams.list": {"zh": "已报名的队伍", "en": "Teams entered"},
    "alloc.manage.teams.none": {"zh": "还没有队伍报名。", "en": "No team has been entered yet."},
    "alloc.manage.teams.state.entered": {"zh": "已报名", "en": "Entered"},
    "alloc.manage.teams.state.withdrawn": {"zh": "已退赛", "en": "Withdrawn"},
    "alloc.manage.teams.captain_is": {"zh": "队长：{name}", "en": "Captain: {name}"},
    "alloc.manage.teams.captain_tag": {"zh": "队长", "en": "Captain"},
    "alloc.manage.teams.updated": {"zh": "更新于 {at}", "en": "updated {at}"},
    "alloc.manage.teams.gender": {"zh": "性别", "en": "Gender"},
    "alloc.manage.teams.change": {"zh": "修改名单（换人）", "en": "Change the roster"},
    "alloc.manage.teams.team_page": {"zh": "队伍页面（队长可在此换人）", "en": "Team page (where the captain edits)"},
    "alloc.manage.teams.withdraw": {"zh": "退赛", "en": "Withdraw"},
    "alloc.manage.teams.withdraw_confirm": {
        "zh": "确定让这支队伍退赛吗？队员会收到通知。",
        "en": "Withdraw this team? Its players are told.",
    },
    "alloc.manage.teams.enter_title": {"zh": "为本单位报名队伍", "en": "Enter a team for your unit"},
    "alloc.manage.teams.name": {"zh": "队名", "en": "Team name"},
    "alloc.manage.teams.roster": {"zh": "队员工号", "en": "Players' staff numbers"},
    "alloc.manage.teams.roster_hint": {
        "zh": "每行一个工号，或用逗号分隔。",
        "en": "One staff number a line, or separated by commas.",
    },
    "alloc.manage.teams.roster_placeholder": {"zh": "每行一个工号", "en": "One staff number a line"},
    "alloc.manage.teams.captain": {"zh": "队长工号（可不填）", "en": "Captain's staff number (optional)"},
    "alloc.manage.teams.captain_hint": {
        "zh": "队长须是本单位会员，可以在截止前自行换人。",
        "en": "A member of the unit, who may substitute players until the deadline.",
    },
    "alloc.manage.teams.captain_may": {
        "zh": "换人截止前可修改名单，新名单须符合组队要求。",
        "en": "Until the deadline; the new roster must keep the team rules.",
    },
    "alloc.manage.teams.read_only": {
        "zh": "名单由本单位工会或队长修改。",
        "en": "The unit's admins or the captain change the roster.",
    },
    "alloc.manage.teams.save": {"zh": "保存名单", "en": "Save the roster"},
    "alloc.manage.teams.enter_submit": {"zh": "报名参赛", "en": "Enter the team"},
    "alloc.manage.teams.player": {"zh": "第 {number} 位 · {staff_no}", "en": "No. {number} · {staff_no}"},
    "alloc.manage.teams.roster_problems": {
        "zh": "名单不符合要求，请按下面的提示修改。",
        "en": "The roster breaks the rules; see each player below.",
    },
    "alloc.manage.teams.already_entered": {
        "zh": "已在其他队伍或已报名本比赛",
        "en": "already on a team or entered in this event",
    },
    "alloc.manage.enter.title": {"zh": "代本单位会员报名", "en": "Enter your unit's members"},
    "alloc.manage.enter.intro": {
        "zh": "可为 {units} 的会员报名，和会员自己报名的规则相同（报名时间、报名范围、名额）。会员会收到通知。",
        "en": "For members of {units}, under the rules members register by (dates, audience, places). They are told.",
    },
    "alloc.manage.enter.intro_organiser": {
        "zh": "组织者代为报名不受报名时间和范围限制。",
        "en": "As an organiser you may enter members past the dates and audience.",
    },
    "alloc.manage.enter.submit": {"zh": "代为报名", "en": "Enter"},
    "alloc.manage.enter.other_unit": {
        "zh": "{staff_no} 不是您所管理单位的会员，只能代本单位会员报名。",
        "en": "{staff_no} is not a member of a unit you administer; you can enter your own members only.",
    },
    "alloc.manage.enter.refused": {
        "zh": "{staff_no} 不能报名：{reason}",
        "en": "{staff_no} cannot be entered: {reason}",
    },
    "alloc.manage.enter.answers_needed": {
        "zh": "该活动报名表有必答题，请 {staff_no} 本人报名。",
        "en": "The registration form has required questions: {staff_no} should register themself.",
    },
    "alloc.manage.enter.teams": {"zh": "团体项目请报名队伍：", "en": "Team events take teams:"},
    "alloc.manage.enter.pairs": {
        "zh": "双人项目由会员本人报名并邀请搭档。",
        "en": "Pairs are entered by members themselves, naming their partner.",
    },
    "alloc.manage.enter.mine": {"zh": "本单位会员的报名", "en": "Your units' members entered"},
    "alloc.manage.enter.none": {"zh": "本单位还没有会员报名。", "en": "None of your members has entered yet."},
    "alloc.manage.entries.link": {
        "zh": "代本单位会员报名（其他单位组织的活动）",
        "en": "Enter your members (any unit's events)",
    },
    "alloc.manage.entries.title": {"zh": "代本单位会员报名", "en": "Enter your members"},
    "alloc.manage.entries.intro": {
        "zh": "本单位会员可以报名的活动（含其他单位组织的），可在此代为报名或报名队伍。",
        "en": "Events your members may enter, whoever organises them: enter members or teams here.",
    },
    "alloc.manage.entries.none": {"zh": "目前没有本单位会员可报名的活动。", "en": "No event takes your members now."},
    "alloc.manage.entries.phase.unavailable": {"zh": "不可报名", "en": "Not open"},
    "alloc.manage.entries.phase.not_yet": {"zh": "尚未开始报名", "en": "Not open yet"},
    "alloc.manage.entries.phase.open": {"zh": "报名中", "en": "Open"},
    "alloc.manage.entries.phase.closed": {"zh": "报名已截止", "en": "Closed"},
    # members' pages: how places are given out, pairs, teams and the lottery (chalicelib.web.event_pages)
    "alloc.member.fact.allocation": {"zh": "名额分配", "en": "How places are given"},
    "alloc.member.fact.entry": {"zh": "参赛形式", "en": "Entry"},
    "alloc.member.how.first_come": {
        "zh": "先到先得：报名即获得名额，额满为止。",
        "en": "First come, first served: registering takes a place while places last.",
    },
    "alloc.member.how.approval": {
        "zh": "报名后审核：提交报名后由组织者审核，审核通过才获得名额。",
        "en": "Approval: you apply, and the organiser's approval gives you a place.",
    },
    "alloc.member.how.lottery": {
        "zh": "报名截止后抽签：截止前报名的会员一起参加公开抽签，报名先后不影响结果。",
        "en": (
            "Lottery: everyone who applies before registration closes enters a public draw; applying early makes no "
            "difference."
        ),
    },
    "alloc.member.how.teams": {
        "zh": "由各单位工会组队报名，名额按队计算，先报先得。",
        "en": "Units enter teams; places count teams, first come, first served.",
    },
    "alloc.member.how.quotas": {
        "zh": "名额按单位分配：各单位工会有各自的名额。",
        "en": "Places are shared among units: each unit's union has its own quota.",
    },
    "alloc.member.how.quota_release": {
        "zh": "{at} 起，各单位未用完的名额向全体报名者开放。",
        "en": "From {at}, places a unit has not used are open to everyone.",
    },
    "alloc.member.how.priority": {
        "zh": "近 {years} 年内没有获得过疗休养名额的会员优先抽签。",
        "en": "Members who had no retreat place in the last {years} years are drawn first.",
    },
    "alloc.member.how.group": {
        "zh": "同一组别的项目每人最多报名 {limit} 项。",
        "en": "Each member may enter at most {limit} events of this group.",
    },
    "alloc.member.pending.approval": {"zh": "待审核 {count} 人", "en": "{count} awaiting approval"},
    "alloc.member.pending.lottery": {"zh": "已报名抽签 {count} 人", "en": "{count} applied for the draw"},
    "alloc.member.pair.any": {
        "zh": "双打：两人搭档报名，性别不限",
        "en": "Pairs: enter with a partner of either gender",
    },
    "alloc.member.pair.mixed": {"zh": "混双：一男一女搭档报名", "en": "Mixed doubles: one man and one woman"},
    "alloc.member.pair.same": {
        "zh": "同性别双打：搭档须同性别",
        "en": "Men's or women's doubles: partners of the same gender",
    },
    "alloc.member.pair.same_unit": {"zh": "搭档须同单位", "en": "Partners must be of the same unit"},
    "alloc.member.team.by_unit": {
        "zh": "由各单位工会组队报名，个人不能直接报名。",
        "en": "Teams are entered by each unit's union; members do not register themselves.",
    },
    "alloc.member.team.size": {
        "zh": "每队 {min}–{max} 人，每个单位最多 {teams} 队",
        "en": "{min}–{max} players a team; up to {teams} teams a unit",
    },
    "alloc.member.team.mix": {
        "zh": "每队至少 {women} 名女队员、{men} 名男队员",
        "en": "At least {women} women and {men} men a team",
    },
    "alloc.member.team.yours": {
        "zh": "您在「{team}」的队员名单中（{unit}，共 {count} 人）。",
        "en": "You are on the roster of \u201c{team}\u201d ({unit}, {count} players).",
    },
    "alloc.member.team.you_captain": {"zh": "您是本队队长。", "en": "You are the team's captain."},
    "alloc.member.team.captain_of": {
        "zh": "您是「{team}」的队长（{unit}，共 {count} 人）。",
        "en": "You captain \u201c{team}\u201d ({unit}, {count} players).",
    },
    "alloc.member.team.view": {"zh": "查看队伍", "en": "View the team"},
    "alloc.member.team.cancel_hint": {
        "zh": "队员名单由本单位工会管理，如需退出请联系单位管理员或队长。",
        "en": "Your unit manages the roster: to leave the team, ask its admin or the captain.",
    },
    "alloc.member.register.lottery": {"zh": "报名参加抽签", "en": "Apply for the draw"},
    "alloc.member.register.pair": {"zh": "邀请搭档报名", "en": "Enter with a partner"},
    "alloc.member.register.approval": {"zh": "提交报名申请", "en": "Apply"},
    "alloc.member.partner.label": {"zh": "搭档工号", "en": "Partner's staff number"},
    "alloc.member.partner.hint": {
        "zh": "对方在“我的报名”中确认后，你们的组合才算报名。",
        "en": "Your pair is entered once your partner confirms under My registrations.",
    },
    "alloc.member.partner.missing": {"zh": "请填写搭档的工号", "en": "Please give your partner's staff number"},
    "alloc.member.state.pending_approval": {"zh": "待审核", "en": "Awaiting approval"},
    "alloc.member.state.pending_lottery": {"zh": "已报名抽签（待抽签）", "en": "Applied for the draw (not drawn yet)"},
    "alloc.member.state.rejected": {"zh": "未通过（原因：{reason}）", "en": "Not approved (reason: {reason})"},
    "alloc.member.state.rejected_plain": {"zh": "未通过", "en": "Not approved"},
    "alloc.member.state.not_drawn": {"zh": "未抽中", "en": "Not drawn"},
    "alloc.member.state.awaiting_partner": {
        "zh": "等待搭档确认（搭档：{name}）",
        "en": "Waiting for your partner to confirm (partner: {name})",
    },
    "alloc.member.state.invited": {"zh": "搭档邀请：{name} 邀请您搭档", "en": "Partner invitation from {name}"},
    "alloc.member.state.partner": {"zh": "已组队（搭档：{name}）", "en": "Paired (partner: {name})"},
    "alloc.member.state.team": {"zh": "队员（{team}）", "en": "Team player ({team})"},
    "alloc.member.partner_declined": {
        "zh": "{name} 谢绝了搭档邀请，可以另邀搭档报名。",
        "en": "{name} declined to partner you; you may enter with someone else.",
    },
    "alloc.member.added_by": {
        "zh": "由 {name} 代为报名；如不需要，可以取消。",
        "en": "Entered on your behalf by {name}; you may withdraw it.",
    },
    "alloc.member.answer_invitation": {
        "zh": "您收到了搭档邀请，请在上方确认或谢绝。",
        "en": "You have a partner invitation: confirm or decline it above.",
    },
    "alloc.member.confirm": {"zh": "确认搭档", "en": "Confirm"},
    "alloc.member.decline": {"zh": "谢绝", "en": "Decline"},
    "alloc.member.decline_confirm": {
        "zh": "确定谢绝 {name} 的搭档邀请吗？对方的报名将一并取消。",
        "en": "Decline {name}'s invitation? Their entry ends too.",
    },
    "alloc.member.cancel_pair_confirm": {
        "zh": "确定取消吗？你们的组合将一起取消，并通知搭档。",
        "en": "Withdraw? Your pair is withdrawn as a whole and your partner is told.",
    },
    "alloc.member.cancel_pending_confirm": {"zh": "确定撤回这份报名吗？", "en": "Withdraw this application?"},
    "alloc.member.done.approval": {
        "zh": "「{title}」已提交，等待审核。审核结果会通知您。",
        "en": "\u201c{title}\u201d: submitted, awaiting approval. You will be told the decision.",
    },
    "alloc.member.done.lottery": {
        "zh": "「{title}」已报名抽签，报名截止后公开抽签。",
        "en": "\u201c{title}\u201d: you applied for the draw, made in public after registration closes.",
    },
    "alloc.member.done.invited": {
        "zh": "「{title}」已邀请 {name}，等待对方确认。",
        "en": "\u201c{title}\u201d: {name} is invited; waiting for them to confirm.",
    },
    "alloc.member.confirmed": {
        "zh": "已确认与 {name} 搭档参加「{title}」。",
        "en": "You confirmed as {name}'s partner for \u201c{title}\u201d.",
    },
    "alloc.member.declined": {
        "zh": "已谢绝「{title}」的搭档邀请。",
        "en": "You declined the partner invitation for \u201c{title}\u201d.",
    },
    "alloc.member.lottery.heading": {"zh": "公开抽签", "en": "Public draw"},
    "alloc.member.lottery.title": {"zh": "抽签：{title}", "en": "Draw: {title}"},
    "alloc.member.lottery.commitment": {"zh": "抽签承诺值（种子的 SHA-256）", "en": "Commitment (SHA-256 of the seed)"},
    "alloc.member.lottery.commitment_short": {
        "zh": "抽签种子在报名开始前已生成并封存，这是它的 SHA-256。抽签后公布种子，任何人都可以核对。",
        "en": (
            "The draw's seed was made and sealed before anyone applied; this is its SHA-256. The seed is published "
            "after the draw so that anyone can check it."
        ),
    },
    "alloc.member.lottery.what": {
        "zh": (
            "承诺值是抽签种子的 SHA-256 摘要，报名期间就已公布。种子本身在抽签前保密，所以报名期间谁也无法预知结果；抽"
            "签后组织者也不能更换种子，因为换了就与承诺值对不上。"
        ),
        "en": (
            "The commitment is the SHA-256 digest of the draw's seed, published while people apply. The seed stays "
            "secret until the draw, so nobody can know the outcome in advance, and the organiser cannot swap it "
            "afterwards: another seed would not match the commitment."
        ),
    },
    "alloc.member.lottery.link": {"zh": "抽签说明与结果", "en": "How the draw works, and its result"},
    "alloc.member.lottery.draw_after": {
        "zh": "报名截止（{at}）后公开抽签。",
        "en": "The draw is made in public after registration closes ({at}).",
    },
    "alloc.member.lottery.drawn_on": {
        "zh": "已于 {at} 抽签，种子和结果已公布。",
        "en": "Drawn {at}; the seed and the result are published.",
    },
    "alloc.member.lottery.not_drawn_yet": {"zh": "尚未抽签", "en": "Not drawn yet"},
    "alloc.member.lottery.after_note": {
        "zh": "抽签后本页将公布种子、报名名单和结果，并说明如何验证。",
        "en": "After the draw this page shows the seed, the applicants and the result, and how to check them.",
    },
    "alloc.member.lottery.applicants": {"zh": "报名人数", "en": "Applicants"},
    "alloc.member.lottery.places": {"zh": "名额", "en": "Places"},
    "alloc.member.lottery.winners": {"zh": "抽中人数", "en": "Drawn"},
    "alloc.member.lottery.waiting": {"zh": "候补人数", "en": "On the waiting list"},
    "alloc.member.lottery.quota": {"zh": "名额", "en": "Quota"},
    "alloc.member.lottery.quotas": {"zh": "各单位名额", "en": "Unit quotas"},
    "alloc.member.lottery.result": {"zh": "抽签结果", "en": "Result"},
    "alloc.member.lottery.drawn_at": {"zh": "抽签时间", "en": "Drawn at"},
    "alloc.member.lottery.seed": {"zh": "种子", "en": "Seed"},
    "alloc.member.lottery.applicants_sha256": {
        "zh": "报名名单摘要（SHA-256）",
        "en": "Applicant list digest (SHA-256)",
    },
    "alloc.member.lottery.yours": {"zh": "您的结果", "en": "Your result"},
    "alloc.member.lottery.you_won": {"zh": "抽中：您获得了名额", "en": "Drawn: you have a place"},
    "alloc.member.lottery.you_wait": {
        "zh": "未抽中：按抽签顺序候补第 {position} 位",
        "en": "Not drawn: no. {position} on the waiting list, in draw order",
    },
    "alloc.member.lottery.you_lost": {"zh": "未抽中", "en": "Not drawn"},
    "alloc.member.lottery.you_absent": {"zh": "您没有参加本次抽签。", "en": "You did not apply for this draw."},
    "alloc.member.lottery.your_rank": {
        "zh": "抽签顺序第 {rank} 位（共 {count} 人），优先级 {tier}",
        "en": "No. {rank} of {count} in draw order; priority tier {tier}",
    },
    "alloc.member.lottery.your_key": {
        "zh": '您的抽签码 = SHA-256(种子 + ":" + {staff_no})',
        "en": 'Your draw key = SHA-256(seed + ":" + {staff_no})',
    },
    "alloc.member.lottery.position_note": {
        "zh": "抽签后有人退出时，候补按顺序递补；当前位次见“我的报名”。",
        "en": (
            "When someone withdraws after the draw, the waiting list moves up in order: see My registrations for "
            "where you stand now."
        ),
    },
    "alloc.member.lottery.verify": {"zh": "如何验证抽签", "en": "How to check the draw"},
    "alloc.member.lottery.step1": {"zh": "下载抽签数据（{file}）。", "en": "Download the draw data ({file})."},
    "alloc.member.lottery.step2": {
        "zh": "核对种子的 SHA-256 等于抽签前公布的承诺值（本页顶部）。",
        "en": "Check that the SHA-256 of the seed equals the commitment published before the draw (top of this page).",
    },
    "alloc.member.lottery.step3": {
        "zh": "运行下面的命令，退出码为 0 即验证通过：",
        "en": "Run this command; exit status 0 means the draw checks out:",
    },
    "alloc.member.lottery.step3_by_hand": {
        "zh": (
            '或按规则手算：每人的抽签码 = SHA-256(种子 + ":" + 工号)，按优先级（0 在前）再按抽签码从小到大排序，先按各'
            "单位名额、再按剩余名额依次分配，其余按顺序进入候补。"
        ),
        "en": (
            'Or work it out by hand: each applicant\'s draw key = SHA-256(seed + ":" + staff number); sort by '
            "priority tier (0 first), then by draw key from smallest; give places down that order, first up to each "
            "unit's quota, then the places left; the rest form the waiting list in that order."
        ),
    },
    "alloc.member.lottery.download": {"zh": "下载抽签数据（JSON）", "en": "Download the draw (JSON)"},
    "alloc.member.lottery.signin_to_download": {
        "zh": "登录后可下载抽签数据",
        "en": "Sign in to download the draw data",
    },
    "alloc.member.lottery.order": {"zh": "抽签顺序", "en": "Draw order"},
    "alloc.member.lottery.order_hint": {
        "zh": "仅向登录会员显示。抽签码只显示前 16 位。",
        "en": "Shown to signed-in members only. Draw keys show their first 16 characters.",
    },
    "alloc.member.lottery.order_signin": {
        "zh": "登录后可查看按工号列出的抽签顺序。",
        "en": "Sign in to see the draw order by staff number.",
    },
    "alloc.member.lottery.unit": {"zh": "单位", "en": "Unit"},
    "alloc.member.lottery.tier": {"zh": "优先级", "en": "Tier"},
    "alloc.member.lottery.key": {"zh": "抽签码", "en": "Draw key"},
    "alloc.member.lottery.outcome": {"zh": "结果", "en": "Result"},
    "alloc.member.lottery.result.won": {"zh": "抽中", "en": "Drawn"},
    "alloc.member.lottery.result.waiting": {"zh": "候补 {position}", "en": "Waiting {position}"},
    "alloc.member.lottery.result.not_drawn": {"zh": "未抽中", "en": "Not drawn"},
    "alloc.member.lottery.more": {
        "zh": "另有 {count} 人未列出，见下载的抽签数据。",
        "en": "{count} more are not listed here: see the downloaded draw.",
    },
    # allocation: approval, lottery, quotas, entry groups, pairs, teams
    "partner_already_entered": {
        "zh": "您填写的搭档已经报名或已被他人邀请。",
        "en": "The partner you named is already entered or invited by someone else.",
    },
    "entry_group_limit": {
        "zh": "同一组别的项目每人最多报名 {limit} 项，您已达到上限。",
        "en": "You may enter at most {limit} events of this group and have reached that.",
    },
    "partner_entry_group_limit": {
        "zh": "您的搭档已报满同一组别的 {limit} 个项目。",
        "en": "Your partner has already entered {limit} events of this group.",
    },
    "quota_used": {
        "zh": "该单位的名额已用完。",
        "en": "This unit's share of the places is used up.",
    },
    "team_event": {
        "zh": "该比赛以单位组队参赛，请联系本单位工会报名。",
        "en": "Teams are entered by units: please ask your unit's union.",
    },
    "entry_type_not_individual": {
        "zh": "双打或团体项目不能代为个人报名。",
        "en": "Pairs and team events cannot take individual entries.",
    },
    "no_invitation": {"zh": "没有待确认的搭档邀请。", "en": "There is no partner invitation to answer."},
    "not_approval_event": {"zh": "该活动不需要审核。", "en": "This event does not take approvals."},
    "not_pending": {"zh": "这条报名已经处理过了。", "en": "This registration was already decided."},
    "team_roster_by_unit": {
        "zh": "队员名单由本单位工会管理，请联系单位管理员或队长换人。",
        "en": "Team rosters are managed by the unit: ask its admin or the captain.",
    },
    "not_lottery_event": {"zh": "该活动不是抽签分配名额。", "en": "This event does not allocate by lot."},
    "draw_before_close": {"zh": "报名截止后才能抽签。", "en": "The draw can only be made after registration closes."},
    "already_drawn": {
        "zh": "已经抽过签了，结果不能更改。",
        "en": "The draw has been made and its result cannot change.",
    },
    "quota_below_use": {
        "zh": "{unit} 已使用的名额多于新的分配数，不能这样分配。",
        "en": "{unit} already uses more places than the new quota.",
    },
    "not_team_event": {"zh": "该比赛不是团体赛。", "en": "This is not a team event."},
    "unit_team_limit": {
        "zh": "每个单位最多报 {limit} 支队伍。",
        "en": "Each unit may enter at most {limit} teams.",
    },
    "member_already_entered": {
        "zh": "{staff_no} 已在其他队伍或已报名该比赛。",
        "en": "{staff_no} is already on a team or entered in this event.",
    },
    "team_withdrawn": {"zh": "该队伍已退赛。", "en": "This team has withdrawn."},
    "team_changed_meanwhile": {
        "zh": "队伍刚被其他人修改，请刷新后重试。",
        "en": "The team changed meanwhile; please reload and try again.",
    },
    "roster_deadline_passed": {
        "zh": "已过换人截止时间。",
        "en": "The deadline for substitutions has passed.",
    },
    "manage.refusal.entry_rules_in_use": {
        "zh": "已有报名，不能再更改名额分配方式、参赛形式或项目组别。",
        "en": "Entries exist: how places are given out, the entry type and the event group can no longer change.",
    },
    "manage.refusal.capacity_shared_out": {
        "zh": "名额已分配到各单位，请先重新分配名额再改总名额。",
        "en": "The places are shared among units: change the quotas together with the capacity.",
    },
    "field.partner_unknown": {"zh": "没有这个工号的会员", "en": "No member has this staff number"},
    "field.partner_self": {"zh": "不能和自己搭档", "en": "You cannot partner yourself"},
    "field.partner_mixed": {"zh": "混双须一男一女", "en": "Mixed doubles need one man and one woman"},
    "field.partner_same_gender": {"zh": "该项目搭档须同性别", "en": "Partners must be of the same gender"},
    "field.partner_other_unit": {"zh": "搭档须是本单位会员", "en": "Your partner must be of your unit"},
    "field.partner_member_left": {"zh": "搭档已不是在册会员", "en": "Your partner is no longer a member"},
    "field.partner_audience_unit": {"zh": "搭档不在该活动的报名范围内", "en": "Your partner's unit may not enter"},
    "field.partner_audience_gender": {"zh": "搭档的性别不符合要求", "en": "Your partner's gender does not qualify"},
    "field.partner_audience_age": {"zh": "搭档的年龄不符合要求", "en": "Your partner's age does not qualify"},
    "field.quota_sum": {
        "zh": "各单位名额合计 {total}，应等于总名额 {capacity}",
        "en": "Quotas add up to {total}; they must add up to the capacity, {capacity}",
    },
    "field.quota_plan": {
        "zh": "请给出固定名额或按人数比例分配其中一种",
        "en": "Give either fixed or proportional quotas",
    },
    "field.quota_negative": {"zh": "名额不能为负数", "en": "Quotas cannot be negative"},
    "field.quota_no_units": {"zh": "请至少选择一个单位", "en": "Choose at least one unit"},
    "field.quota_minimum_too_large": {
        "zh": "{units} 个单位每个至少 {minimum} 个，超过了总名额 {capacity}",
        "en": "{units} units with at least {minimum} each exceed the capacity, {capacity}",
    },
    "field.quota_no_members": {"zh": "所选单位都没有在册会员", "en": "None of these units has active members"},
    "field.quota_unknown_unit": {"zh": "没有这个单位：{unit}", "en": "No such unit: {unit}"},
    "field.quota_needs_capacity": {"zh": "分配名额前请先设定总名额", "en": "Set the capacity before sharing it out"},
    "field.quotas_need_approval_or_lottery": {
        "zh": "按单位分配名额需要审核或抽签方式",
        "en": "Unit quotas need approval or a lottery",
    },
    "field.quota_release_after_start": {
        "zh": "名额释放时间应早于活动开始",
        "en": "Places must be released before the event starts",
    },
    "field.allocation_lottery_needs_capacity": {"zh": "抽签活动须设定名额", "en": "A lottery needs a capacity"},
    "field.allocation_quotas_need_approval_or_lottery": {
        "zh": "按单位分配名额需要审核或抽签方式",
        "en": "Unit quotas need approval or a lottery",
    },
    "field.allocation_sessions_first_come_individual": {
        "zh": "按课次报名只适用于个人、先到先得的活动",
        "en": "Single sessions are for individual, first-come events only",
    },
    "field.allocation_teams_first_come": {
        "zh": "团体赛按单位报队，不用审核或抽签",
        "en": "Team events take entries from units, without approval or lottery",
    },
    "field.allocation_group_needs_limit": {
        "zh": "项目组别与每人限报项数须同时填写（至少 1 项）",
        "en": "An event group needs a limit of at least 1, and a limit needs a group",
    },
    "field.allocation_priority_years": {
        "zh": "优先年限只用于抽签活动，应为 1 到 10 年",
        "en": "Priority years apply to lotteries only and must be 1 to 10",
    },
    "field.team_team_rule_size": {
        "zh": "队伍人数范围不正确（最多 {max} 人）",
        "en": "The team size range is invalid (at most {max})",
    },
    "field.team_team_rule_composition": {
        "zh": "男女人数下限之和超过了队伍人数上限",
        "en": "The minimum men and women exceed the maximum team size",
    },
    "field.team_team_rule_older": {
        "zh": "年龄上限人数与年龄须同时填写",
        "en": "Give both the age and how many players may be over it",
    },
    "field.team_team_rule_per_unit": {"zh": "每单位至少可报 1 队", "en": "Each unit may enter at least one team"},
    "field.roster_unknown": {"zh": "没有这个工号的会员", "en": "No member has this staff number"},
    "field.roster_duplicate": {"zh": "{staff_no} 重复填写", "en": "{staff_no} is listed twice"},
    "field.roster_size": {"zh": "队伍须有 {min} 到 {max} 人", "en": "A team has {min} to {max} players"},
    "field.roster_other_unit": {"zh": "{staff_no} 不是本单位会员", "en": "{staff_no} is not a member of this unit"},
    "field.roster_member_left": {"zh": "{staff_no} 已不是在册会员", "en": "{staff_no} is no longer a member"},
    "field.roster_audience_unit": {"zh": "{staff_no} 不在报名范围内", "en": "{staff_no}'s unit may not enter"},
    "field.roster_audience_gender": {"zh": "{staff_no} 性别不符合要求", "en": "{staff_no}'s gender does not qualify"},
    "field.roster_audience_age": {"zh": "{staff_no} 年龄不符合要求", "en": "{staff_no}'s age does not qualify"},
    "field.roster_min_age": {"zh": "{staff_no} 未满 {age} 岁", "en": "{staff_no} is under {age}"},
    "field.roster_min_women": {"zh": "至少要有 {count} 名女队员", "en": "At least {count} women are needed"},
    "field.roster_min_men": {"zh": "至少要有 {count} 名男队员", "en": "At least {count} men are needed"},
    "field.roster_max_older": {
        "zh": "{age} 岁以上的队员最多 {count} 名",
        "en": "At most {count} players may be over {age}",
    },
    "field.captain_other_unit": {"zh": "队长须是本单位会员", "en": "The captain must be a member of the unit"},
    "notification.approved": {
        "zh": "您报名的「{title}」已审核通过。",
        "en": "Your registration for \u201c{title}\u201d was approved.",
    },
    "notification.rejected": {
        "zh": "您报名的「{title}」未通过审核，原因：{reason}",
        "en": "Your registration for \u201c{title}\u201d was not approved. Reason: {reason}",
    },
    "notification.drawn": {
        "zh": "恭喜：您在「{title}」的抽签中获得名额。",
        "en": "Congratulations: the draw for \u201c{title}\u201d gave you a place.",
    },
    "notification.not_drawn": {
        "zh": "「{title}」抽签已完成，您未抽中，已按抽签顺序进入候补。",
        "en": "The draw for \u201c{title}\u201d did not give you a place; you are on the waiting list in draw order.",
    },
    "notification.partner_invited": {
        "zh": "{partner} 邀请您搭档参加「{title}」，请在“我的报名”中确认或谢绝。",
        "en": "{partner} invited you as partner for \u201c{title}\u201d: confirm or decline under My registrations.",
    },
    "notification.partner_confirmed": {
        "zh": "{partner} 已确认和您搭档参加「{title}」。",
        "en": "{partner} confirmed as your partner for \u201c{title}\u201d.",
    },
    "notification.partner_declined": {
        "zh": "{partner} 谢绝了「{title}」的搭档邀请，您的报名已取消，可以另邀搭档。",
        "en": "{partner} declined to partner you for \u201c{title}\u201d; you may invite someone else.",
    },
    "notification.pair_cancelled": {
        "zh": "{partner} 取消了你们在「{title}」的组合报名。",
        "en": "{partner} withdrew your pair from \u201c{title}\u201d.",
    },
    "notification.team_roster": {
        "zh": "您在「{title}」的队伍「{team}」名单有变动，请查看“我的报名”。",
        "en": "The roster of your team \u201c{team}\u201d in \u201c{title}\u201d changed: see My registrations.",
    },
    "field.schedule_ends_before_start": {"zh": "结束时间早于开始时间", "en": "Ends before it starts"},
    "field.schedule_closes_before_opens": {"zh": "报名截止早于报名开始", "en": "Registration closes before it opens"},
    "field.schedule_closes_after_end": {"zh": "报名截止晚于活动结束", "en": "Registration closes after the event ends"},
    "field.schedule_cancel_deadline_after_end": {
        "zh": "取消截止晚于活动结束",
        "en": "The cancellation deadline is after the event ends",
    },
    "field.schedule_capacity_not_positive": {"zh": "名额至少为 1", "en": "Capacity must be at least 1"},
    "field.schedule_bad_age_range": {"zh": "年龄范围不正确", "en": "The age range is invalid"},
    "field.answer_required": {"zh": "必答题", "en": "This question must be answered"},
    "field.answer_hidden_question": {
        "zh": "这道题按您的其他回答不需要填写",
        "en": "This question does not apply given your other answers",
    },
    "field.answer_unknown_question": {"zh": "表单中没有这道题", "en": "The form has no such question"},
    "field.answer_too_long": {"zh": "最多 {max} 个字", "en": "At most {max} characters"},
    "field.answer_not_a_number": {"zh": "请填写数字", "en": "Must be a number"},
    "field.answer_not_whole": {"zh": "请填写整数", "en": "Must be a whole number"},
    "field.answer_out_of_range": {"zh": "超出允许的范围", "en": "Outside the allowed range"},
    "field.answer_unknown_option": {"zh": "没有这个选项", "en": "Not one of the options"},
    "field.answer_too_many_choices": {"zh": "最多选 {max} 项", "en": "Choose at most {max}"},
    "field.answer_bad_date": {"zh": "日期格式应为 YYYY-MM-DD", "en": "Must be a date (YYYY-MM-DD)"},
    "field.answer_bad_yes_no": {"zh": "请选择“是”或“否”", "en": "Must be yes or no"},
    "field.answer_bad_type": {"zh": "回答的格式不正确", "en": "The answer has the wrong form"},
    "field.form_too_many_questions": {"zh": "最多 {max} 道题", "en": "At most {max} questions"},
    "field.form_bad_id": {
        "zh": "题目编号应以小写字母开头，只含小写字母、数字和下划线",
        "en": "A question id starts with a lower-case letter; letters, digits and _ only",
    },
    "field.form_duplicate_id": {"zh": "题目编号重复", "en": "Duplicate question id"},
    "field.form_bad_kind": {"zh": "题型不正确", "en": "Unknown question kind"},
    "field.form_bad_label": {
        "zh": "题目文字不能为空，最多 {max} 个字",
        "en": "A label is needed, at most {max} characters",
    },
    "field.form_options_needed": {"zh": "选择题至少需要一个选项", "en": "A choice question needs options"},
    "field.form_too_many_options": {"zh": "最多 {max} 个选项", "en": "At most {max} options"},
    "field.form_duplicate_option": {"zh": "选项 {option} 重复", "en": "Option {option} appears twice"},
    "field.form_bad_option": {"zh": "选项 {option} 不正确", "en": "Option {option} is invalid"},
    "field.form_bad_limit": {"zh": "选项 {option} 的名额至少为 1", "en": "Option {option} needs a limit of at least 1"},
    "field.form_options_not_allowed": {"zh": "这种题型没有选项", "en": "This kind of question has no options"},
    "field.form_bad_range": {"zh": "最小值不能大于最大值", "en": "The minimum is above the maximum"},
    "field.form_setting_not_allowed": {
        "zh": "这种题型不能设置 {field}",
        "en": "{field} does not apply to this kind of question",
    },
    "field.form_bad_max_choices": {"zh": "最多可选数应在 1 到 {max} 之间", "en": "Max choices must be 1 to {max}"},
    "field.form_bad_max_length": {"zh": "字数上限应在 1 到 {max} 之间", "en": "Max length must be 1 to {max}"},
    "field.form_bad_show_if": {
        "zh": "显示条件应引用前面的选择题或是非题及其选项",
        "en": "A show-if condition must name an earlier choice or yes/no question and its options",
    },
    "field.sessions_too_many": {"zh": "课次最多 {max} 个", "en": "At most {max} sessions"},
    "field.sessions_ends_before_start": {"zh": "课次结束时间早于开始时间", "en": "A session ends before it starts"},
    # members' event pages (chalicelib.web.event_pages)
    "events.nav": {"zh": "活动", "en": "Events"},
    "events.title": {"zh": "活动报名", "en": "Events"},
    "events.none": {"zh": "没有符合条件的活动。", "en": "No events match."},
    "events.back_to_list": {"zh": "‹ 全部活动", "en": "‹ All events"},
    "events.back_to_event": {"zh": "‹ 返回活动页面", "en": "‹ Back to the event"},
    "events.filter.kind": {"zh": "活动类别", "en": "Kind of event"},
    "events.filter.all": {"zh": "全部", "en": "All"},
    "events.filter.open": {"zh": "只看报名中", "en": "Open for registration"},
    "events.filter.unit": {"zh": "主办单位", "en": "Organiser"},
    "events.filter.any_unit": {"zh": "全部主办单位", "en": "Any organiser"},
    "events.filter.apply": {"zh": "筛选", "en": "Filter"},
    "events.status.draft": {"zh": "草稿", "en": "Draft"},
    "events.status.published": {"zh": "即将报名", "en": "Registration soon"},
    "events.status.registration_open": {"zh": "报名中", "en": "Registration open"},
    "events.status.registration_closed": {"zh": "报名已截止", "en": "Registration closed"},
    "events.status.running": {"zh": "进行中", "en": "Under way"},
    "events.status.finished": {"zh": "已结束", "en": "Finished"},
    "events.status.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "events.places.unlimited": {"zh": "不限名额", "en": "No limit on places"},
    "events.places.left": {"zh": "余 {count} 个名额", "en": "{count} places left"},
    "events.places.waiting": {"zh": "候补 {count} 人", "en": "{count} on the waiting list"},
    "events.places.full": {"zh": "名额已满", "en": "Full"},
    "events.places.full_waiting": {"zh": "名额已满，可报名候补", "en": "Full; the waiting list is open"},
    "events.counts.limited": {
        "zh": "共 {capacity} 个名额，已确认 {confirmed} 人，候补 {waiting} 人",
        "en": "{capacity} places; {confirmed} confirmed, {waiting} waiting",
    },
    "events.counts.unlimited": {"zh": "已报名 {confirmed} 人", "en": "{confirmed} registered"},
    "events.fact.when": {"zh": "时间", "en": "When"},
    "events.fact.venue": {"zh": "地点", "en": "Venue"},
    "events.fact.campus": {"zh": "校区", "en": "Campus"},
    "events.fact.organiser": {"zh": "主办", "en": "Organiser"},
    "events.fact.contact": {"zh": "联系人", "en": "Contact"},
    "events.fact.places": {"zh": "名额", "en": "Places"},
    "events.fact.window": {"zh": "报名时间", "en": "Registration"},
    "events.fact.cancel_deadline": {"zh": "取消截止", "en": "Cancel by"},
    "events.fact.audience": {"zh": "报名对象", "en": "Who may register"},
    "events.fact.waiting_list": {"zh": "候补", "en": "Waiting list"},
    "events.waiting_list.yes": {
        "zh": "满员后可报名候补，有人取消时按顺序递补",
        "en": "When full, join the waiting list; places freed go to it in order",
    },
    "events.waiting_list.no": {"zh": "不设候补", "en": "No waiting list"},
    "events.window.between": {"zh": "{opens} 至 {closes}", "en": "{opens} to {closes}"},
    "events.window.until": {"zh": "即日起至 {closes}", "en": "Now until {closes}"},
    "events.cancel_until_start": {"zh": "活动开始前均可取消", "en": "Until the event starts"},
    "events.audience.all": {"zh": "全体会员", "en": "All members"},
    "events.audience.units": {"zh": "限以下单位的会员：{units}", "en": "Members of: {units}"},
    "events.audience.own_unit": {"zh": "限{unit}会员", "en": "Members of {unit} only"},
    "events.audience.gender_F": {"zh": "限女性", "en": "Women only"},
    "events.audience.gender_M": {"zh": "限男性", "en": "Men only"},
    "events.audience.age_range": {
        "zh": "年龄 {min}–{max} 岁（按活动当天计算）",
        "en": "Aged {min} to {max} on the day of the event",
    },
    "events.audience.age_min": {
        "zh": "年龄 {min} 岁及以上（按活动当天计算）",
        "en": "Aged {min} or over on the day of the event",
    },
    "events.audience.age_max": {
        "zh": "年龄 {max} 岁及以下（按活动当天计算）",
        "en": "Aged {max} or under on the day of the event",
    },
    "events.description": {"zh": "活动介绍", "en": "About the event"},
    "events.sessions": {"zh": "课次安排", "en": "Sessions"},
    "events.single_sessions": {
        "zh": "本活动可以只报名其中一次课。",
        "en": "You may register for single sessions of this event.",
    },
    "events.share": {"zh": "分享", "en": "Share"},
    "events.share.hint": {
        "zh": "复制链接发到微信群，或打印海报张贴；在微信里也可以点右上角“…”分享。",
        "en": "Copy the link into a WeChat group or print the poster; in WeChat you can also share from the … menu.",
    },
    "events.share.copy": {"zh": "复制链接", "en": "Copy link"},
    "events.share.copied": {"zh": "链接已复制。", "en": "The link was copied."},
    "events.share.copy_failed": {
        "zh": "无法自动复制，请长按链接手动复制。",
        "en": "Could not copy; press and hold the link to copy it.",
    },
    "events.poster.link": {"zh": "打印海报", "en": "Printable poster"},
    "events.poster.print": {"zh": "打印海报", "en": "Print"},
    "events.poster.scan": {"zh": "微信扫一扫报名", "en": "Scan with WeChat to register"},
    "events.registration": {"zh": "报名", "en": "Registration"},
    "events.register": {"zh": "我要报名", "en": "Register"},
    "events.register_waiting": {"zh": "报名候补", "en": "Join the waiting list"},
    "events.signin_to_register": {"zh": "登录后报名", "en": "Sign in to register"},
    "events.will_wait": {
        "zh": "名额已满，现在报名将进入候补名单，有人取消时按顺序递补。",
        "en": "The event is full: you will join the waiting list and move up when someone cancels.",
    },
    "events.not_yet": {"zh": "报名将于 {at} 开始。", "en": "Registration opens {at}."},
    "events.full": {"zh": "名额已满，本活动不设候补。", "en": "The event is full and has no waiting list."},
    "events.already": {"zh": "您已经报名了本活动。", "en": "You are already registered for this event."},
    "events.cancel": {"zh": "取消报名", "en": "Cancel my registration"},
    "events.cancel_confirm": {
        "zh": "确定取消报名吗？名额将让给候补的会员。",
        "en": "Cancel your registration? Your place goes to the next person waiting.",
    },
    "events.scope.label": {"zh": "报名范围", "en": "Register for"},
    "events.scope.series": {"zh": "全程", "en": "The whole event"},
    "events.scope.session": {"zh": "单次：{when}", "en": "One session: {when}"},
    "events.form.title": {"zh": "报名：{title}", "en": "Register: {title}"},
    "events.form.no_questions": {
        "zh": "本活动无需填写报名信息，点击下方按钮即可报名。",
        "en": "Nothing to fill in: press the button below to register.",
    },
    "events.form.submit": {"zh": "提交报名", "en": "Register"},
    "events.form.fix": {"zh": "报名未提交，请按提示修改。", "en": "Not registered yet: please fix what is marked."},
    "events.form.yes": {"zh": "是", "en": "Yes"},
    "events.form.no": {"zh": "否", "en": "No"},
    "events.form.option_full": {"zh": "已满", "en": "Full"},
    "events.form.choose_up_to": {"zh": "最多选 {max} 项", "en": "Choose up to {max}"},
    "events.form.range": {"zh": "请填 {min} 到 {max} 之间的数", "en": "A number from {min} to {max}"},
    "events.form.range_min": {"zh": "不小于 {min}", "en": "At least {min}"},
    "events.form.range_max": {"zh": "不大于 {max}", "en": "At most {max}"},
    "events.form.show_if": {
        "zh": "仅当“{parent}”选择“{values}”时填写",
        "en": "Only if “{parent}” is “{values}”",
    },
    "events.answer.required": {"zh": "请填写这一项", "en": "Please answer this question"},
    "events.answer.hidden_question": {
        "zh": "根据您前面的回答，这一项不用填写，请清空",
        "en": "Your earlier answers skip this question; please leave it empty",
    },
    "events.answer.unknown_question": {"zh": "报名表中没有这一项", "en": "There is no such question on the form"},
    "events.answer.bad_type": {"zh": "填写的内容格式不对", "en": "This answer has the wrong form"},
    "events.answer.too_long": {"zh": "最多 {max} 个字", "en": "At most {max} characters"},
    "events.answer.not_a_number": {"zh": "请填写数字", "en": "Please give a number"},
    "events.answer.not_whole": {"zh": "请填写整数", "en": "Please give a whole number"},
    "events.answer.out_of_range": {"zh": "请填写 {min} 到 {max} 之间的数", "en": "Give a number from {min} to {max}"},
    "events.answer.too_small": {"zh": "不能小于 {min}", "en": "Must be at least {min}"},
    "events.answer.too_big": {"zh": "不能大于 {max}", "en": "Must be at most {max}"},
    "events.answer.unknown_option": {"zh": "没有这个选项：{value}", "en": "There is no such option: {value}"},
    "events.answer.too_many_choices": {"zh": "最多选 {max} 项", "en": "Choose at most {max}"},
    "events.answer.bad_date": {"zh": "日期格式应为 2026-01-31", "en": "Give a date such as 2026-01-31"},
    "events.answer.bad_yes_no": {"zh": "请选择“是”或“否”", "en": "Please choose yes or no"},
    "events.answer.invalid": {"zh": "这一项填写有误", "en": "This answer is not valid"},
    "my.registrations.title": {"zh": "我的报名", "en": "My registrations"},
    "my.registrations.link": {"zh": "我的报名与通知", "en": "My registrations and notifications"},
    "my.registrations.none": {"zh": "您还没有报名任何活动。", "en": "You have not registered for any event yet."},
    "my.browse": {"zh": "浏览近期活动", "en": "Browse events"},
    "my.done": {"zh": "报名成功：{title}", "en": "You are registered for {title}."},
    "my.done_waiting": {
        "zh": "名额已满，您已进入「{title}」的候补名单，目前排第 {position} 位。有人取消时会按顺序递补并通知您。",
        "en": "The event is full: you are number {position} on the waiting list for {title}. "
        "You will be told if you move up.",
    },
    "my.cancelled": {"zh": "已取消报名：{title}", "en": "Your registration for {title} was cancelled."},
    "my.state.confirmed": {"zh": "已确认", "en": "Confirmed"},
    "my.state.waiting": {"zh": "候补第 {position} 位", "en": "Waiting list: no. {position}"},
    "my.state.waiting_unknown": {"zh": "候补中", "en": "On the waiting list"},
    "my.state.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "my.state.removed": {"zh": "已移除", "en": "Removed"},
    "my.removed_reason": {"zh": "组织者移除，原因：{reason}", "en": "Removed by an organiser. Reason: {reason}"},
    "my.promoted": {"zh": "已由候补转正", "en": "Moved up from the waiting list"},
    "my.notifications.title": {"zh": "我的通知", "en": "My notifications"},
    "my.notifications.none": {"zh": "暂无通知。", "en": "No notifications."},
    "my.view_event": {"zh": "查看活动", "en": "View the event"},
    # notifications (details are filled in from the notification)
    "notification.promoted": {
        "zh": "好消息：您已从候补转为正式报名「{title}」。",
        "en": "Good news: you moved up from the waiting list and are confirmed for \u201c{title}\u201d.",
    },
    "notification.added": {
        "zh": "组织者已为您报名「{title}」。",
        "en": "An organiser registered you for \u201c{title}\u201d.",
    },
    "notification.removed": {
        "zh": "您在「{title}」的报名已被组织者移除，原因：{reason}",
        "en": "An organiser removed your registration for \u201c{title}\u201d. Reason: {reason}",
    },
    "notification.event_changed": {
        "zh": "您报名的「{title}」时间或地点有变动，请查看最新安排。",
        "en": "The date or venue of \u201c{title}\u201d, which you registered for, has changed.",
    },
    "notification.event_cancelled": {
        "zh": "您报名的「{title}」已取消。",
        "en": "\u201c{title}\u201d, which you registered for, has been cancelled.",
    },
    # ---- check-in: verdicts (API and pages) ----
    "checkin.point.entry": {"zh": "入场", "en": "Entry"},
    "checkin.verdict.admitted": {"zh": "签到成功", "en": "Checked in"},
    "checkin.verdict.already": {"zh": "已签到过", "en": "Already checked in"},
    "checkin.verdict.not_admitted": {"zh": "不能入场：{state}", "en": "Not admitted: {state}"},
    "checkin.verdict.wrong_event": {"zh": "这是其他活动的入场码", "en": "This code is for another event"},
    "checkin.verdict.wrong_point": {"zh": "报名的不是这一场次", "en": "Registered for another session"},
    "checkin.verdict.revoked": {"zh": "此码已作废（已换新码）", "en": "This code was replaced by a new one"},
    "checkin.verdict.unknown": {"zh": "无法识别的二维码", "en": "Unknown code"},
    "checkin.verdict.outside_window": {"zh": "不在签到时间内", "en": "Check-in is not open now"},
    "checkin.verdict.expired": {
        "zh": "签到码已过期，请重新扫描现场屏幕上的二维码",
        "en": "This code has expired: scan the screen at the venue again",
    },
    "checkin.verdict.not_registered": {"zh": "未报名此活动", "en": "Not registered for this event"},
    "self_checkin_off": {"zh": "此活动未开启现场扫码签到。", "en": "Self check-in is off for this event."},
    "no_ticket": {
        "zh": "此报名当前没有入场码（未确认或已取消）。",
        "en": "This registration has no ticket now (not confirmed, or ended).",
    },
    "field.unknown_point": {"zh": "没有这个签到点或场次：{input}", "en": "No such check-in point or session: {input}"},
    "field.unknown_member": {"zh": "找不到此工号：{input}", "en": "No member with this staff number: {input}"},
    "field.code_or_staff_no": {
        "zh": "请提供二维码内容或工号（二选一）。",
        "en": "Send either a code or a staff number.",
    },
    "field.checkpoint_id": {
        "zh": "签到点代码只能用小写字母、数字、- 和 _。",
        "en": "Checkpoint ids use lower-case letters, digits, - and _.",
    },
    "field.checkpoint_repeated": {"zh": "签到点代码重复。", "en": "This checkpoint id is used twice."},
    "field.checkpoint_name": {"zh": "请填写签到点名称。", "en": "Give the checkpoint a name."},
    # ---- check-in: station page (marker: checkin.station) ----
    "checkin.station.title": {"zh": "扫码签到", "en": "Check-in station"},
    "checkin.station.link": {"zh": "打开扫码签到页", "en": "Open the check-in station"},
    "checkin.station.point": {"zh": "签到点", "en": "Check-in point"},
    "checkin.station.switch": {"zh": "切换", "en": "Switch"},
    "checkin.station.scan_label": {
        "zh": "扫码枪扫码，或输入入场码后按回车",
        "en": "Scan with a handheld scanner, or type the code and press Enter",
    },
    "checkin.station.scan_button": {"zh": "核验", "en": "Check"},
    "checkin.station.ready": {"zh": "请扫码", "en": "Ready to scan"},
    "checkin.station.checking": {"zh": "核验中…", "en": "Checking…"},
    "checkin.station.counts": {"zh": "已签到 / 应到", "en": "Checked in / expected"},
    "checkin.station.queue": {"zh": "待上传", "en": "To upload"},
    "checkin.station.online": {"zh": "在线 · 已同步 {time}", "en": "Online · synced {time}"},
    "checkin.station.online_unsynced": {"zh": "在线 · 正在同步名单…", "en": "Online · syncing the list…"},
    "checkin.station.online_pending": {"zh": "在线 · 待上传 {count} 条", "en": "Online · {count} to upload"},
    "checkin.station.offline": {"zh": "离线 · 待上传 {count} 条", "en": "Offline · {count} to upload"},
    "checkin.station.uploading": {"zh": "上传中…", "en": "Uploading…"},
    "checkin.station.uploaded": {
        "zh": "已上传 {count} 条离线签到，其中冲突 {conflicts} 条（组织者可在签到统计中查看）",
        "en": "Uploaded {count} offline check-ins; {conflicts} conflicts (the organisers see them in attendance)",
    },
    "checkin.station.upload_failed": {"zh": "上传失败：{message}", "en": "Upload failed: {message}"},
    "checkin.station.offline_admitted": {"zh": "签到成功（离线）", "en": "Admitted (offline)"},
    "checkin.station.offline_already": {"zh": "已签到过（离线）", "en": "Already checked in (offline)"},
    "checkin.station.offline_unknown": {"zh": "无法识别（离线）", "en": "Unknown (offline)"},
    "checkin.station.offline_not_registered": {
        "zh": "不在签到名单中（离线）",
        "en": "Not on the check-in list (offline)",
    },
    "checkin.station.no_list": {
        "zh": "网络不通，且本机还没有同步签到名单，无法核验",
        "en": "No network, and this device has not synced the list yet: cannot check",
    },
    "checkin.station.queued": {
        "zh": "已保存在本机，联网后自动上传",
        "en": "Kept on this device; uploaded when the network returns",
    },
    "checkin.station.already_detail": {"zh": "签到时间 {time} · {by}", "en": "Checked in at {time} · {by}"},
    "checkin.station.this_station": {"zh": "本机（待上传）", "en": "this device (to upload)"},
    "checkin.station.failed": {"zh": "出错了，请重试", "en": "Something went wrong; please try again"},
    "checkin.station.scope_series": {"zh": "全程", "en": "Whole event"},
    "checkin.station.lookup": {"zh": "手动查找", "en": "Look up"},
    "checkin.station.lookup_label": {
        "zh": "没带手机的人：输入工号或姓名",
        "en": "Without their phone: staff number or name",
    },
    "checkin.station.lookup_button": {"zh": "查找", "en": "Find"},
    "checkin.station.lookup_none": {"zh": "没有找到", "en": "Nobody found"},
    "checkin.station.lookup_admit": {"zh": "签到", "en": "Check in"},
    "checkin.station.lookup_arrived": {"zh": "已于 {time} 签到", "en": "Checked in at {time}"},
    "checkin.station.camera_start": {"zh": "打开摄像头扫码", "en": "Scan with the camera"},
    "checkin.station.camera_stop": {"zh": "关闭摄像头", "en": "Stop the camera"},
    "checkin.station.camera_failed": {"zh": "无法打开摄像头：{message}", "en": "Cannot open the camera: {message}"},
    "checkin.station.device": {"zh": "本机名称", "en": "This device's name"},
    "checkin.station.device_hint": {
        "zh": "记录在每条签到上，便于核对是哪台设备签的到。",
        "en": "Recorded with each check-in, to tell which device made it.",
    },
    "checkin.station.device_default": {"zh": "签到机", "en": "station"},
    "checkin.station.offline_note": {
        "zh": "断网时仍可继续扫码：本机已保存签到名单（不含电话号码），在本机核验并记下时间，联网后自动上传。",
        "en": "Scanning goes on when the network drops: this device keeps the check-in list (no phone numbers), "
        "checks codes itself, notes the time and uploads when the network returns.",
    },
    "checkin.station.needs_script": {
        "zh": "扫码签到页需要启用 JavaScript。",
        "en": "The check-in station needs JavaScript.",
    },
    "checkin.station.back": {"zh": "返回活动页", "en": "Back to the event"},
    "checkin.ticket.title": {"zh": "入场凭证", "en": "Ticket"},
    "checkin.ticket.for_event": {"zh": "这是「{title}」的入场凭证。", "en": "This is a ticket for “{title}”."},
    "checkin.ticket.own": {
        "zh": "这是您的入场凭证，请出示给工作人员扫码",
        "en": "This is your ticket: show it to the staff to scan",
    },
    "checkin.ticket.own_link": {"zh": "打开我的入场码", "en": "Open my ticket"},
    "checkin.ticket.staff_signin": {
        "zh": "签到工作人员请先登录，再扫码确认签到。",
        "en": "Check-in staff: sign in first, then scan again to check the member in.",
    },
    "checkin.ticket.signin": {"zh": "登录", "en": "Sign in"},
    "checkin.ticket.view_event": {"zh": "查看活动", "en": "View the event"},
    "checkin.ticket.unknown_title": {"zh": "无法识别", "en": "Not recognised"},
    "checkin.ticket.unknown": {
        "zh": "无法识别这个入场码：它可能已作废（报名已取消或已换新码），或不是本系统的二维码。",
        "en": "This ticket is not recognised: it may have been replaced or cancelled, or it is not one of ours.",
    },
    "checkin.ticket.staff_no": {"zh": "工号", "en": "Staff no."},
    "checkin.ticket.unit": {"zh": "单位", "en": "Unit"},
    "checkin.ticket.state": {"zh": "报名状态", "en": "Registration"},
    "checkin.ticket.scope": {"zh": "场次", "en": "Session"},
    "checkin.ticket.confirm": {"zh": "确认签到", "en": "Check in"},
    "checkin.ticket.arrived": {"zh": "已于 {time} 签到（{by}）", "en": "Checked in at {time} ({by})"},
    "checkin.ticket.already_detail": {
        "zh": "首次签到：{time}，操作人 {by}",
        "en": "First checked in at {time} by {by}",
    },
    # ---- check-in: organiser pages and exports (marker: checkin.manage) ----
    "checkin.manage.title": {"zh": "签到管理", "en": "Check-in"},
    "checkin.manage.link.checkin": {"zh": "签到管理", "en": "Check-in"},
    "checkin.manage.link.attendance": {"zh": "出勤情况", "en": "Attendance"},
    "checkin.manage.link.station": {"zh": "打开扫码签到台", "en": "Open the scanning station"},
    "checkin.manage.link.venue": {"zh": "打开现场签到屏", "en": "Open the venue screen"},
    "checkin.manage.done.settings": {"zh": "签到设置已保存。", "en": "Check-in settings saved."},
    "checkin.manage.done.staff_added": {"zh": "已设为签到人员。", "en": "Check-in staff member added."},
    "checkin.manage.done.staff_removed": {"zh": "已移除签到人员。", "en": "Check-in staff member removed."},
    "checkin.manage.points.title": {"zh": "签到点", "en": "Check-in points"},
    "checkin.manage.points.entry": {
        "zh": "没有设置签到点时，整个活动只签到一次（入场）。",
        "en": "Without checkpoints, members are checked in once for the whole event (entry).",
    },
    "checkin.manage.points.checkpoints": {
        "zh": "每个签到点各签到一次，全部签到点都签到才算完成。",
        "en": "Members are checked in at each checkpoint and complete by checking in at all of them.",
    },
    "checkin.manage.points.sessions": {
        "zh": "本活动分场次，每一场次各签到一次。",
        "en": "This event has sessions: members are checked in at each session.",
    },
    "checkin.manage.points.name": {"zh": "签到点", "en": "Point"},
    "checkin.manage.points.time": {"zh": "开始时间", "en": "Starts"},
    "checkin.manage.settings.title": {"zh": "签到设置", "en": "Check-in settings"},
    "checkin.manage.checkpoints.title": {
        "zh": "多个签到点（如健步走的起点、终点）",
        "en": "Checkpoints (e.g. start and finish of a walk)",
    },
    "checkin.manage.checkpoints.hint": {
        "zh": "只对不分场次的活动有效；全部签到点都签到才算完成。代码用小写字母、数字、- 和 _，如 start、finish。",
        "en": (
            "Only for events without sessions; a member completes by checking in at every checkpoint. Ids use "
            "lower-case letters, digits, - and _, e.g. start, finish."
        ),
    },
    "checkin.manage.checkpoints.ignored": {
        "zh": "本活动分场次，按场次签到，下面的签到点不会生效。",
        "en": "This event has sessions, so attendance is taken per session and checkpoints are not used.",
    },
    "checkin.manage.checkpoints.id": {"zh": "代码", "en": "Id"},
    "checkin.manage.checkpoints.name_zh": {"zh": "中文名", "en": "Chinese name"},
    "checkin.manage.checkpoints.name_en": {"zh": "英文名", "en": "English name"},
    "checkin.manage.checkpoints.more": {
        "zh": "最多 {count} 个签到点；保存后会再留出空行。整行留空即删除该签到点。",
        "en": "Up to {count} checkpoints; saving leaves blank rows for more. Clear a row to remove its checkpoint.",
    },
    "checkin.manage.field.completion_percent": {
        "zh": "完成标准（出勤百分比）",
        "en": "Completion threshold (% attended)",
    },
    "checkin.manage.hint.completion_percent": {
        "zh": "用于分场次的课程：出勤场次达到此比例即为完成，如 80。",
        "en": "For classes with sessions: attending this share of sessions completes the course, e.g. 80.",
    },
    "checkin.manage.self.title": {"zh": "现场扫码自助签到", "en": "Venue self check-in"},
    "checkin.manage.field.self_checkin": {"zh": "开启现场签到屏", "en": "Show a venue code members scan"},
    "checkin.manage.hint.self_checkin": {
        "zh": (
            "在现场屏幕上显示每 30 秒更换一次的二维码，会员用手机扫码自行签到；转发的截图很快失效。"
            "可与工作人员扫码同时使用。"
        ),
        "en": (
            "A QR code on a screen at the venue, changing every 30 seconds; members scan it to check themselves "
            "in, and a forwarded photo soon stops working. Works alongside staff scanning."
        ),
    },
    "checkin.manage.field.self_opens_minutes": {"zh": "开始前几分钟可签到", "en": "Opens (minutes before start)"},
    "checkin.manage.field.self_closes_minutes": {"zh": "结束后几分钟内可签到", "en": "Closes (minutes after end)"},
    "checkin.manage.hint.window": {
        "zh": "自助签到只在此时间段内有效（每一场次或签到点分别计算）。",
        "en": "Self check-in is accepted only within this window (of each session or checkpoint).",
    },
    "checkin.manage.staff.title": {"zh": "签到人员", "en": "Check-in staff"},
    "checkin.manage.staff.hint": {
        "zh": "签到人员可以在签到台扫码、按工号查找签到；主办单位管理员本身就可以签到。",
        "en": "Check-in staff may scan codes and look members up at the station; the organisers may always do so.",
    },
    "checkin.manage.staff.points": {"zh": "负责的签到点", "en": "Points"},
    "checkin.manage.staff.every_point": {"zh": "全部", "en": "All"},
    "checkin.manage.staff.remove": {"zh": "移除", "en": "Remove"},
    "checkin.manage.staff.none": {"zh": "还没有签到人员。", "en": "No check-in staff yet."},
    "checkin.manage.staff.add": {"zh": "添加签到人员", "en": "Add check-in staff"},
    "checkin.manage.staff.add_submit": {"zh": "设为签到人员", "en": "Add"},
    "checkin.manage.staff.not_staff": {
        "zh": "此人不是本活动的签到人员。",
        "en": "This person is not check-in staff of the event.",
    },
    "checkin.manage.field.staff_no": {"zh": "工号", "en": "Staff number"},
    "checkin.manage.field.points": {"zh": "只负责这些签到点（可选）", "en": "Only these points (optional)"},
    "checkin.manage.hint.points": {"zh": "都不勾选即负责全部签到点。", "en": "Tick none for every point."},
    "checkin.manage.venue.title": {"zh": "现场签到", "en": "Venue check-in"},
    "checkin.manage.venue.how": {
        "zh": "请用微信或手机相机扫码签到（需已登录）",
        "en": "Scan with WeChat or your phone's camera to check in (signed in)",
    },
    "checkin.manage.venue.changes_in": {"zh": "二维码将在", "en": "The code changes in"},
    "checkin.manage.venue.seconds": {"zh": "秒后更新", "en": "seconds"},
    "checkin.manage.venue.offline": {
        "zh": "网络中断，正在重试……当前二维码在一分钟内仍然有效。",
        "en": "Network lost, retrying… The code shown stays valid for about a minute.",
    },
    "checkin.manage.venue.full_screen": {"zh": "全屏显示", "en": "Full screen"},
    "checkin.manage.venue.signed_out": {
        "zh": "登录已过期或已无权限，请刷新页面重新登录。",
        "en": "Signed out or no longer allowed: reload the page and sign in.",
    },
    "checkin.manage.venue.turn_on": {"zh": "到签到设置中开启", "en": "Turn it on in the check-in settings"},
    "checkin.manage.attendance.title": {"zh": "出勤情况", "en": "Attendance"},
    "checkin.manage.attendance.own_units": {"zh": "仅显示您所管理单位的会员", "en": "Members of your units only"},
    "checkin.manage.attendance.points": {"zh": "各签到点", "en": "By point"},
    "checkin.manage.attendance.checked_in": {"zh": "已签到 / 应到", "en": "Checked in / expected"},
    "checkin.manage.attendance.no_shows": {"zh": "未到", "en": "No-shows"},
    "checkin.manage.attendance.no_show_count": {"zh": "{count} 人未到", "en": "{count} did not come"},
    "checkin.manage.attendance.units": {"zh": "各单位出勤", "en": "By unit"},
    "checkin.manage.attendance.units_hint": {
        "zh": "报名：持有名额的人数；出勤：至少签到一次的人数。",
        "en": "Registered: members holding a place; attended: checked in at least once.",
    },
    "checkin.manage.attendance.registered": {"zh": "报名", "en": "Registered"},
    "checkin.manage.attendance.attended": {"zh": "出勤", "en": "Attended"},
    "checkin.manage.attendance.completed": {"zh": "完成", "en": "Completed"},
    "checkin.manage.attendance.members": {"zh": "每位会员", "en": "By member"},
    "checkin.manage.attendance.percent": {"zh": "出勤率", "en": "Attended"},
    "checkin.manage.attendance.yes": {"zh": "✓ 完成", "en": "✓ Done"},
    "checkin.manage.attendance.nobody": {"zh": "暂无报名会员。", "en": "Nobody holds a place yet."},
    "checkin.manage.completion.share": {
        "zh": "出勤达到 {percent}% 的场次即为完成",
        "en": "Completed by attending {percent}% of the sessions",
    },
    "checkin.manage.completion.all": {
        "zh": "全部签到点都签到即为完成",
        "en": "Completed by checking in at every point",
    },
    "checkin.manage.conflicts.title": {"zh": "待核对的签到冲突", "en": "Conflicts to look at"},
    "checkin.manage.conflicts.hint": {
        "zh": "离线签到台在断网期间放行、事后上传时无法直接记录的签到。",
        "en": "Check-ins made by offline stations that could not simply be recorded when uploaded.",
    },
    "checkin.manage.conflicts.kind": {"zh": "类型", "en": "Kind"},
    "checkin.manage.conflicts.who": {"zh": "会员", "en": "Member"},
    "checkin.manage.conflicts.details": {"zh": "说明", "en": "Details"},
    "checkin.manage.conflicts.none": {"zh": "没有冲突。", "en": "No conflicts."},
    "checkin.manage.conflict.double_admit": {
        "zh": "重复放行（两处都已签到）",
        "en": "Admitted twice (at two stations)",
    },
    "checkin.manage.conflict.not_admitted": {"zh": "放行时报名已失效", "en": "Admitted after the registration ended"},
    "checkin.manage.conflict.unknown": {"zh": "放行了无法识别的码", "en": "Admitted an unknown code"},
    "checkin.manage.conflict.first": {
        "zh": "首次签到：{at}，签到人 {by}，设备 {station}",
        "en": "First checked in {at} by {by} at {station}",
    },
    "checkin.manage.conflict.state": {"zh": "报名状态：{state}", "en": "Registration: {state}"},
    "checkin.manage.log.title": {"zh": "签到记录", "en": "Check-ins"},
    "checkin.manage.log.count": {"zh": "共 {count} 条", "en": "{count} check-ins"},
    "checkin.manage.log.when": {"zh": "时间", "en": "When"},
    "checkin.manage.log.where": {"zh": "签到点", "en": "Where"},
    "checkin.manage.log.by": {"zh": "签到人", "en": "By"},
    "checkin.manage.log.method": {"zh": "方式", "en": "How"},
    "checkin.manage.log.offline": {"zh": "离线", "en": "offline"},
    "checkin.manage.log.none": {"zh": "还没有人签到。", "en": "Nobody has checked in yet."},
    "checkin.manage.method.scan": {"zh": "扫码", "en": "Scanned"},
    "checkin.manage.method.manual": {"zh": "按工号或姓名", "en": "Looked up"},
    "checkin.manage.method.self": {"zh": "现场自助", "en": "Self check-in"},
    # ---- check-in: member pages (marker: checkin.member) ----
    "checkin.member.ticket.title": {"zh": "入场码", "en": "Ticket"},
    "checkin.member.ticket.link": {"zh": "入场码", "en": "Ticket"},
    "checkin.member.whole": {"zh": "全程", "en": "Whole event"},
    "checkin.member.ticket.brightness": {
        "zh": "请把屏幕亮度调到最高，向工作人员出示此码",
        "en": "Turn your screen brightness up and show this code to the staff",
    },
    "checkin.member.ticket.save": {"zh": "保存图片", "en": "Save image"},
    "checkin.member.ticket.save_wechat": {"zh": "在微信里？长按图片保存", "en": "In WeChat? Press and hold to save"},
    "checkin.member.ticket.replace": {"zh": "换一个新码", "en": "Get a new code"},
    "checkin.member.ticket.replace_hint": {
        "zh": "截图发给了别人或手机丢失时可以换码：换码后旧码（包括已保存的图片）立即失效。",
        "en": "If a screenshot was passed on or your phone was lost, get a new code: the old one (saved images "
        "included) stops working at once.",
    },
    "checkin.member.ticket.replace_confirm": {
        "zh": "换码后旧的二维码和已保存的图片都将失效，确定换码吗？",
        "en": "The old code and any saved image will stop working. Get a new code?",
    },
    "checkin.member.ticket.replaced": {
        "zh": "已换新码，旧码已失效。",
        "en": "Here is your new code; the old one no longer works.",
    },
    "checkin.member.ticket.back": {"zh": "返回我的报名", "en": "Back to my registrations"},
    "checkin.member.venue.title": {"zh": "现场签到", "en": "Check in"},
    "checkin.member.venue.point": {"zh": "签到点", "en": "Check-in point"},
    "checkin.member.venue.button": {"zh": "签到", "en": "Check in"},
    "checkin.member.venue.hint": {
        "zh": "点击按钮完成签到；二维码每 30 秒更换，请尽快点击。",
        "en": "Tap the button to check in; the code changes every 30 seconds, so tap soon.",
    },
    "checkin.member.venue.at": {"zh": "签到时间：{at}", "en": "Checked in: {at}"},
    "checkin.member.attendance.title": {"zh": "我的签到记录", "en": "My attendance"},
    "checkin.member.attendance.none": {"zh": "还没有签到记录。", "en": "No check-ins yet."},
    "checkin.member.attendance.point": {"zh": "场次/签到点", "en": "Session / point"},
    "checkin.member.attendance.at": {"zh": "时间", "en": "When"},
    "checkin.member.attendance.method": {"zh": "方式", "en": "How"},
    "checkin.member.attendance.offline": {"zh": "离线登记", "en": "offline"},
    "checkin.member.attendance.progress": {
        "zh": "已出勤 {attended}/{expected}",
        "en": "Attended {attended} of {expected}",
    },
    "checkin.member.attendance.completed": {"zh": "已完成", "en": "Completed"},
    "checkin.member.attendance.needs_share": {
        "zh": "未完成（出勤需达 {percent}%）",
        "en": "Not completed (needs {percent}%)",
    },
    "checkin.member.attendance.needs_all": {
        "zh": "未完成（需在每个签到点签到）",
        "en": "Not completed (check in at every point)",
    },
    "checkin.member.method.scan": {"zh": "工作人员扫码", "en": "Code scanned"},
    "checkin.member.method.manual": {"zh": "工作人员登记", "en": "Entered by staff"},
    "checkin.member.method.self": {"zh": "现场自助签到", "en": "Self check-in"},
    "checkin.member.duties.title": {"zh": "我的签到工作", "en": "My check-in duties"},
    "checkin.member.duties.none": {
        "zh": "你目前不是任何活动的签到工作人员。",
        "en": "You are not check-in staff for any event.",
    },
    "checkin.member.duties.points": {"zh": "负责：", "en": "Points: "},
    "checkin.member.duties.all_points": {"zh": "全部场次/签到点", "en": "every session and point"},
    "checkin.member.duties.open": {"zh": "打开扫码签到页", "en": "Open the scanning page"},
    # ---- competition: errors (marker: competition.errors) ----
    "field.mark_format": {
        "zh": "成绩格式不正确（如 12.34、1:02.35 或 5.62）",
        "en": "Write a mark like 12.34, 1:02.35 or 5.62",
    },
    "field.mark_negative": {"zh": "成绩不能为负数", "en": "A mark cannot be negative"},
    "field.mark_precision": {"zh": "成绩最多保留两位小数", "en": "At most two decimals"},
    "field.mark_zero": {"zh": "成绩不能为零", "en": "A mark cannot be zero"},
    "field.mark_empty": {"zh": "请填写成绩", "en": "Enter a mark"},
    "competition_not_set_up": {"zh": "这个活动还没有设置赛事。", "en": "This event has no competition set up yet."},
    "competition_not_published": {
        "zh": "赛程和成绩尚未发布。",
        "en": "The draw and results have not been published yet.",
    },
    "competition_changed_meanwhile": {
        "zh": "赛事设置刚被他人修改，请刷新后重试。",
        "en": "Someone changed the competition just now; reload and try again.",
    },
    "competition_drawn": {
        "zh": "已经抽签，赛制和种子不能再修改。",
        "en": "The draw has been made: the format and seeds can no longer change.",
    },
    "competition_busy": {
        "zh": "录入的人太多，请稍后重试。",
        "en": "Too many people are entering results; please try again.",
    },
    "stage_not_found": {"zh": "没有这个比赛阶段。", "en": "There is no such stage."},
    "previous_stage_open": {"zh": "上一阶段还没有结束。", "en": "The previous stage has not been closed yet."},
    "stage_closed": {
        "zh": "这个阶段已经结束，成绩不能再改。",
        "en": "This stage is closed; its results can no longer change.",
    },
    "stage_started": {
        "zh": "已有比赛录入成绩，不能重新抽签。",
        "en": "Results have been entered: the draw can no longer be redone.",
    },
    "stage_unfinished": {
        "zh": "还有比赛或评分没有完成，不能结束这个阶段。",
        "en": "Some matches or marks are missing: the stage cannot close yet.",
    },
    "stage_not_drawn": {"zh": "这个阶段还没有抽签。", "en": "This stage has not been drawn yet."},
    "stage_not_open": {"zh": "这个阶段还没有开始评分。", "en": "Marking has not started for this stage."},
    "stage_open": {"zh": "这个阶段已经开始。", "en": "This stage has already started."},
    "too_few_entries": {
        "zh": "参赛者不够按这个赛制抽签（至少两名，每个小组至少两名）。",
        "en": "Too few entries for this format (at least two, and two per group).",
    },
    "no_bye": {
        "zh": "每位选手都已轮空过，单数选手无法再编排。",
        "en": "Everyone has had a bye: an odd field cannot be paired.",
    },
    "unknown_entries": {"zh": "有参赛者不在本次赛事中。", "en": "Some entries are not in this competition."},
    "not_a_running_swiss_stage": {
        "zh": "只有进行中的积分编排赛阶段才能编排下一轮。",
        "en": "Only a running Swiss stage has a next round.",
    },
    "round_unfinished": {"zh": "本轮比赛还没有全部完成。", "en": "Finish every match of the current round first."},
    "rounds_complete": {"zh": "所有轮次都已编排。", "en": "Every round has been paired."},
    "no_pairing": {
        "zh": "无法在不重复交手的情况下编排下一轮。",
        "en": "No pairing without a rematch exists for the next round.",
    },
    "match_not_found": {"zh": "没有这场比赛。", "en": "There is no such match."},
    "unknown_match": {"zh": "没有这场比赛。", "en": "There is no such match."},
    "already_played": {
        "zh": "这场比赛已有比分；如需更正请选择“更正比分”。",
        "en": "This match has a result; choose “correct the result” to change it.",
    },
    "not_ready": {"zh": "这场比赛的双方还没有确定。", "en": "Both sides of this match are not known yet."},
    "not_played": {"zh": "这场比赛还没有比分，无需更正。", "en": "This match has no result to correct."},
    "winner_required": {"zh": "淘汰赛必须分出胜负。", "en": "A knockout match needs a winner."},
    "invalid_winner": {"zh": "胜方只能是主队、客队或平局。", "en": "The winner must be home, away or a draw."},
    "dependents_played": {
        "zh": "后续比赛已经进行，不能更改这场的胜负；请先更正后续比赛。",
        "en": "Later matches have been played: correct those first.",
    },
    "panel_closed": {"zh": "评分已结束，不能再修改。", "en": "Marking has closed; marks can no longer change."},
    "entry_not_assigned": {"zh": "这位选手不在您的评分范围内。", "en": "This entry is not assigned to you."},
    "discipline_not_found": {"zh": "没有这个比赛项目。", "en": "There is no such discipline."},
    "entry_not_found": {"zh": "这个项目中没有这名运动员。", "en": "This entry is not in the discipline."},
    "field.too_many_attempts": {"zh": "试跳/试掷次数超过规定", "en": "More attempts than the discipline allows"},
    "field.seeds_not_consecutive": {
        "zh": "种子序号须从 1 开始连续编号",
        "en": "Seeds must be numbered 1, 2, 3 … without gaps",
    },
    "field.unknown_match_format": {"zh": "没有这种比赛赛制：{input}", "en": "No such match format: {input}"},
    "field.unknown_tiebreak": {"zh": "没有这种排名规则：{input}", "en": "No such tie-break preset: {input}"},
    "field.unknown_entries": {
        "zh": "不在本次赛事中的参赛者：{input}",
        "en": "Not entries of this competition: {input}",
    },
    "field.unknown_role": {"zh": "只能任命裁判或评委", "en": "The role must be referee or judge"},
    "field.mark_out_of_range": {"zh": "评分超出范围", "en": "The mark is out of range"},
    "field.unknown_criterion": {"zh": "没有这个评分项：{input}", "en": "No such criterion: {input}"},
    "field.game_not_finished": {
        "zh": "这一局还没有结束（须领先 2 分达到目标分）",
        "en": "This game is not finished (a 2-point lead at the target is needed)",
    },
    "field.overshoot": {
        "zh": "比分不可能出现：比赛在此之前已经结束",
        "en": "Impossible score: the game ended before this",
    },
    "field.over_cap": {"zh": "比分超过了封顶分", "en": "The score goes past the cap"},
    "field.negative_score": {"zh": "比分不能为负数", "en": "Scores cannot be negative"},
    "field.too_many_games": {"zh": "局数超过了规定", "en": "More games than the format has"},
    "field.played_after_decided": {"zh": "胜负已定后不应再有比赛", "en": "Nothing is played once the match is decided"},
    "field.not_decided": {"zh": "比分还没有分出胜负", "en": "These scores do not decide the match"},
    "field.bad_outcome": {"zh": "比赛结果类型不正确", "en": "Unknown outcome"},
    "field.no_winner": {"zh": "请选择胜方", "en": "Choose the winner"},
    "field.walkover_with_play": {"zh": "弃权的比赛不应有比分", "en": "A walkover has no score"},
    "field.rubber_invalid": {"zh": "团体赛中有一场比分不正确", "en": "A rubber of the tie has an invalid score"},
    "field.rubber_count": {"zh": "团体赛场次数量不对", "en": "Wrong number of rubbers for this tie"},
    "field.rubber_missing": {"zh": "团体赛场次不能跳过", "en": "Rubbers cannot be skipped"},
    "field.rubbers_missing": {"zh": "团体赛须逐场录入比分", "en": "Enter a team tie rubber by rubber"},
    "field.game_invalid": {"zh": "每局比分须为两个整数", "en": "Each game is two whole numbers"},
    "field.games_invalid": {"zh": "比分格式不正确", "en": "The games are not in the right form"},
    "field.score_invalid": {"zh": "比分须为两个整数", "en": "The score is two whole numbers"},
    "field.draw_not_allowed": {"zh": "这个项目不能打平", "en": "This sport has no draws"},
    "field.already_decided": {
        "zh": "比赛已经结束，不能再记退赛",
        "en": "The match was already decided before the retirement",
    },
    "field.no_games": {"zh": "退赛须录入已进行的局分", "en": "A retirement needs the games played so far"},
    "field.result_mismatch": {"zh": "比分与胜负不一致", "en": "The result does not match its scores"},
    # ---- competition: public pages (marker: competition.public) ----
    "competition.public.heading": {"zh": "赛程与成绩", "en": "Draw, schedule and results"},
    "competition.public.event_link": {"zh": "查看赛程与成绩", "en": "Draw, schedule and results"},
    "competition.public.back": {"zh": "返回活动页", "en": "Back to the event"},
    "competition.public.unpublished": {"zh": "未发布", "en": "Not published"},
    "competition.public.unpublished_hint": {
        "zh": "本页目前只有组织者和本活动的裁判、评委可见。",
        "en": "Only the organisers and this event's referees and judges can see this page for now.",
    },
    "competition.public.missing.title": {"zh": "赛程与成绩尚未公布", "en": "Not published yet"},
    "competition.public.missing.body": {
        "zh": "本活动的对阵、赛程和成绩还没有公布，请稍后再来查看。",
        "en": "The draw, schedule and results of this event have not been published yet. Please check back later.",
    },
    "competition.public.stages": {"zh": "比赛阶段", "en": "Stages"},
    "competition.public.stage_state.pending": {"zh": "未开始", "en": "not started"},
    "competition.public.stage_state.drawn": {"zh": "进行中", "en": "in progress"},
    "competition.public.stage_state.closed": {"zh": "已结束", "en": "finished"},
    "competition.public.pending": {
        "zh": "本阶段尚未抽签或开始，敬请关注。",
        "en": "This stage has not been drawn or started yet.",
    },
    "competition.public.final.placings": {"zh": "最终名次", "en": "Final placings"},
    "competition.public.final.awards": {"zh": "获奖名单", "en": "Award list"},
    "competition.public.place.1": {"zh": "冠军", "en": "Champion"},
    "competition.public.place.2": {"zh": "亚军", "en": "Runner-up"},
    "competition.public.place.3": {"zh": "季军", "en": "Third"},
    "competition.public.col.rank": {"zh": "名次", "en": "Place"},
    "competition.public.col.name": {"zh": "参赛者", "en": "Entry"},
    "competition.public.col.unit": {"zh": "单位", "en": "Unit"},
    "competition.public.col.played": {"zh": "场次", "en": "P"},
    "competition.public.col.won": {"zh": "胜", "en": "W"},
    "competition.public.col.drawn": {"zh": "平", "en": "D"},
    "competition.public.col.lost": {"zh": "负", "en": "L"},
    "competition.public.col.points": {"zh": "积分", "en": "Pts"},
    "competition.public.col.rubbers": {"zh": "场差", "en": "Rubbers ±"},
    "competition.public.col.games": {"zh": "局差", "en": "Games ±"},
    "competition.public.col.points_diff": {"zh": "分差", "en": "Points ±"},
    "competition.public.col.goals": {"zh": "净胜球", "en": "Goals ±"},
    "competition.public.col.score": {"zh": "得分", "en": "Score"},
    "competition.public.col.award": {"zh": "奖项", "en": "Award"},
    "competition.public.col.mark": {"zh": "成绩", "en": "Mark"},
    "competition.public.col.place_points": {"zh": "得分", "en": "Points"},
    "competition.public.col.total": {"zh": "总分", "en": "Total"},
    "competition.public.place_n": {"zh": "第{place}名", "en": "No. {place}"},
    "competition.public.rules": {"zh": "排名规则：{rules}", "en": "Ranking rules: {rules}"},
    "competition.public.group": {"zh": "{name} 组", "en": "Group {name}"},
    "competition.public.qualified": {"zh": "出线", "en": "Through"},
    "competition.public.fixtures": {"zh": "赛程与结果", "en": "Fixtures and results"},
    "competition.public.all_matches": {"zh": "全部场次与比分", "en": "Every match and score"},
    "competition.public.scroll_hint": {
        "zh": "对阵图可左右滑动查看；打印时按 A3 横向排版。",
        "en": "Scroll sideways to see the whole bracket; it prints on A3 landscape.",
    },
    "competition.public.bracket.label": {"zh": "{stage}对阵图", "en": "{stage} bracket"},
    "competition.public.bracket.winners": {"zh": "胜者组", "en": "Winners' bracket"},
    "competition.public.bracket.losers": {"zh": "败者组", "en": "Losers' bracket"},
    "competition.public.round.number": {"zh": "第{number}轮", "en": "Round {number}"},
    "competition.public.round.round_of": {"zh": "{count}强", "en": "Round of {count}"},
    "competition.public.round.quarter_final": {"zh": "四分之一决赛", "en": "Quarter-finals"},
    "competition.public.round.semi_final": {"zh": "半决赛", "en": "Semi-finals"},
    "competition.public.round.final": {"zh": "决赛", "en": "Final"},
    "competition.public.round.third_place": {"zh": "三四名决赛", "en": "Third-place match"},
    "competition.public.round.grand_final": {"zh": "总决赛", "en": "Grand final"},
    "competition.public.round.grand_final_reset": {"zh": "总决赛加赛", "en": "Grand final reset"},
    "competition.public.bye": {"zh": "轮空", "en": "Bye"},
    "competition.public.vs": {"zh": "对", "en": "vs"},
    "competition.public.to_be_decided": {"zh": "待定", "en": "TBD"},
    "competition.public.winner_of": {"zh": "{match} 胜者", "en": "Winner {match}"},
    "competition.public.loser_of": {"zh": "{match} 负者", "en": "Loser {match}"},
    "competition.public.walkover": {"zh": "弃权", "en": "w/o"},
    "competition.public.retired": {"zh": "退赛", "en": "ret."},
    "competition.public.court": {"zh": "场地：{court}", "en": "Court: {court}"},
    "competition.public.reason.pair": {
        "zh": "{above} 以{rule}列 {below} 之前（{value} 比 {against}）",
        "en": "{above} ranked above {below} by {rule} ({value} to {against})",
    },
    "competition.public.reason.group": {
        "zh": "{names} {count}{first}相同，按{rule}排名：{values}",
        "en": "{names}: {count} level on {first}, ranked by {rule}: {values}",
    },
    "competition.public.reason.lot": {"zh": "{names} 抽签决定先后", "en": "{names}: order decided by drawing lots"},
    "competition.public.reason.among_only": {
        "zh": "（只计他们之间的比赛）",
        "en": " (counting only the matches among them)",
    },
    "competition.public.count.team": {"zh": "{count}队", "en": "{count} teams"},
    "competition.public.count.pair": {"zh": "{count}对", "en": "{count} pairs"},
    "competition.public.count.individual": {"zh": "{count}人", "en": "{count} players"},
    "competition.public.judge": {"zh": "评委{number}", "en": "Judge {number}"},
    "competition.public.unmarked": {"zh": "未评分", "en": "Not marked"},
    "competition.public.finalist": {"zh": "晋级", "en": "Through"},
    "competition.public.marks_hidden": {
        "zh": "各评委的打分在本轮结束后公布。",
        "en": "Each judge's marks are shown once the round is closed.",
    },
    "competition.public.aggregation.mean": {
        "zh": "得分为全部评委打分的平均分。",
        "en": "The score is the mean of every judge's mark.",
    },
    "competition.public.aggregation.drop_high_low": {
        "zh": "得分为去掉一个最高分和一个最低分后的平均分。",
        "en": "The score is the mean of the marks after dropping one highest and one lowest.",
    },
    "competition.public.aggregation.closest_pair": {
        "zh": "得分为三位评委中最接近的两个分数的平均分。",
        "en": "The score is the mean of the two closest of the three judges' marks.",
    },
    "competition.public.unit_totals": {"zh": "团体总分", "en": "Team totals by unit"},
    "competition.public.place_points": {"zh": "名次分：{points}", "en": "Place points: {points}"},
    "competition.public.relay_factor": {"zh": "接力项目得分 ×{factor}", "en": "Relays score ×{factor}"},
    "competition.public.no_mark": {"zh": "无成绩", "en": "No mark"},
    "competition.public.measure.time": {"zh": "{mark}", "en": "{mark}"},
    "competition.public.measure.distance": {"zh": "{mark} 米", "en": "{mark} m"},
    "competition.public.measure.points": {"zh": "{mark}", "en": "{mark}"},
    # ---- competition: organiser, referee and judge pages (marker: competition.manage) ----
    "competition.manage.link": {"zh": "赛事编排与成绩", "en": "Competition"},
    "competition.manage.title": {"zh": "赛事编排与成绩", "en": "Competition"},
    "competition.manage.published": {"zh": "已发布", "en": "Published"},
    "competition.manage.unpublished": {"zh": "未发布", "en": "Not published"},
    "competition.manage.entries_count": {"zh": "共 {count} 个参赛单位/选手", "en": "{count} entries"},
    "competition.manage.link.public": {"zh": "查看公开页面", "en": "Public page"},
    "competition.manage.link.referee": {"zh": "裁判录分页面", "en": "Referees' page"},
    "competition.manage.action.publish": {"zh": "发布赛程和成绩", "en": "Publish the draw and results"},
    "competition.manage.action.unpublish": {"zh": "取消发布", "en": "Unpublish"},
    "competition.manage.publish_hint": {
        "zh": "发布后所有人都能看到对阵、赛程、成绩和获奖名单；未发布时只有组织者和裁判、评委能看到。",
        "en": "Once published, everyone sees the draw, schedule, results and awards; until then only organisers, "
        "referees and judges do.",
    },
    "competition.manage.action.draw": {"zh": "抽签", "en": "Make the draw"},
    "competition.manage.action.redraw": {"zh": "重新抽签", "en": "Redo the draw"},
    "competition.manage.action.open": {"zh": "开始比赛", "en": "Start"},
    "competition.manage.action.next_round": {"zh": "编排下一轮", "en": "Pair the next round"},
    "competition.manage.action.close": {"zh": "结束本阶段", "en": "Close this stage"},
    "competition.manage.close_confirm": {
        "zh": "结束后本阶段名次固定，晋级者进入下一阶段，成绩不能再改。确定结束吗？",
        "en": "Closing fixes this stage's ranking and sends its qualifiers on; results can no longer change. Close it?",
    },
    "competition.manage.draw.record": {
        "zh": "抽签种子 {seed} · {at} · 抽签人 {by}",
        "en": "Draw seed {seed} · {at} · drawn by {by}",
    },
    "competition.manage.draw.redraws": {"zh": "已重新抽签 {count} 次", "en": "redone {count} times"},
    "competition.manage.draw.redo_confirm": {
        "zh": "重新抽签会作废当前对阵（已重抽 {count} 次，每次都记入操作日志）。确定重新抽签吗？",
        "en": "Redoing the draw replaces the current one (redone {count} times so far; each is in the audit log). "
        "Redo it?",
    },
    "competition.manage.draw.redo_hint": {
        "zh": "录入第一场比分之前可以重新抽签；新的抽签种子会被记录，旧的保留在操作日志中。",
        "en": "The draw can be redone until the first result is entered; the new seed is recorded and the old one "
        "stays in the audit log.",
    },
    "competition.manage.opened_at": {"zh": "开始于 {at}", "en": "Started {at}"},
    "competition.manage.state.pending": {"zh": "未开始", "en": "Not started"},
    "competition.manage.state.drawn": {"zh": "进行中", "en": "In progress"},
    "competition.manage.state.closed": {"zh": "已结束", "en": "Closed"},
    "competition.manage.kind.single_elimination": {"zh": "单败淘汰", "en": "Single elimination"},
    "competition.manage.kind.double_elimination": {"zh": "双败淘汰", "en": "Double elimination"},
    "competition.manage.kind.round_robin": {"zh": "循环赛", "en": "Round robin"},
    "competition.manage.kind.groups": {"zh": "分组循环", "en": "Groups"},
    "competition.manage.kind.swiss": {"zh": "积分编排（瑞士制）", "en": "Swiss"},
    "competition.manage.kind.league": {"zh": "联赛", "en": "League"},
    "competition.manage.kind.judged": {"zh": "评委评分", "en": "Judged"},
    "competition.manage.kind.measured": {"zh": "计时计量", "en": "Timed and measured"},
    "competition.manage.stage.groups": {"zh": "小组赛", "en": "Group stage"},
    "competition.manage.stage.knockout": {"zh": "淘汰赛", "en": "Knockout"},
    "competition.manage.stage.double": {"zh": "双败淘汰赛", "en": "Double elimination"},
    "competition.manage.stage.round_robin": {"zh": "循环赛", "en": "Round robin"},
    "competition.manage.stage.league": {"zh": "联赛", "en": "League"},
    "competition.manage.stage.swiss": {"zh": "积分编排赛", "en": "Swiss"},
    "competition.manage.stage.contest": {"zh": "比赛", "en": "Contest"},
    "competition.manage.stage.preliminary": {"zh": "初赛", "en": "Preliminary"},
    "competition.manage.stage.final": {"zh": "决赛", "en": "Final"},
    "competition.manage.stage.meet": {"zh": "运动会", "en": "Meet"},
    "competition.manage.groups": {"zh": "分组", "en": "Groups"},
    "competition.manage.group": {"zh": "{group} 组", "en": "Group {group}"},
    "competition.manage.second_leg": {"zh": "（第二循环）", "en": "(second leg)"},
    "competition.manage.bracket.losers": {"zh": "败者组 {round}", "en": "Losers' bracket {round}"},
    "competition.manage.bye": {"zh": "轮空", "en": "Bye"},
    "competition.manage.winner_of": {"zh": "{match} 胜者", "en": "Winner of {match}"},
    "competition.manage.loser_of": {"zh": "{match} 负者", "en": "Loser of {match}"},
    "competition.manage.to_be_decided": {"zh": "待定", "en": "To be decided"},
    "competition.manage.outcome.walkover": {"zh": "（弃权）", "en": "(walkover)"},
    "competition.manage.outcome.retired": {"zh": "（退赛）", "en": "(retired)"},
    "competition.manage.status.waiting": {"zh": "待定", "en": "Waiting"},
    "competition.manage.status.ready": {"zh": "待比赛", "en": "To play"},
    "competition.manage.status.done": {"zh": "已结束", "en": "Played"},
    "competition.manage.status.bye": {"zh": "轮空", "en": "Bye"},
    "competition.manage.status.void": {"zh": "无需进行", "en": "Not needed"},
    "competition.manage.table.rank": {"zh": "名次", "en": "Place"},
    "competition.manage.table.entry": {"zh": "参赛者", "en": "Entry"},
    "competition.manage.table.played": {"zh": "场", "en": "P"},
    "competition.manage.table.won": {"zh": "胜", "en": "W"},
    "competition.manage.table.lost": {"zh": "负", "en": "L"},
    "competition.manage.table.points": {"zh": "积分", "en": "Pts"},
    "competition.manage.matches": {"zh": "比赛（{count} 场）", "en": "Matches ({count})"},
    "competition.manage.judged.score": {"zh": "得分", "en": "Score"},
    "competition.manage.judged.judges": {"zh": "已评评委", "en": "Judges"},
    "competition.manage.judged.award": {"zh": "奖项", "en": "Award"},
    "competition.manage.judged.hint": {
        "zh": "评分进行中的得分只有组织者能看到；评委只能看到自己的评分。",
        "en": "Scores while marking is open are for organisers only; each judge sees only their own marks.",
    },
    "competition.manage.meet.entered": {"zh": "已录入 {entered}/{entries}", "en": "{entered} of {entries} entered"},
    "competition.manage.entries.title": {"zh": "参赛名单与种子", "en": "Entries and seeds"},
    "competition.manage.entries.none": {
        "zh": "还没有参赛者：确认报名（或各单位组队报名）后再来设置。",
        "en": "No entries yet: confirm registrations (or let units enter teams) first.",
    },
    "competition.manage.entries.unit": {"zh": "单位", "en": "Unit"},
    "competition.manage.entries.preview": {
        "zh": "保存赛制时，以下已确认的报名（或已报名的队伍）成为参赛者。",
        "en": "Saving the set-up takes these confirmed registrations (or entered teams) as the entries.",
    },
    "competition.manage.seeds.hint": {
        "zh": "种子从 1 开始连续编号（1 号种子在签表顶部，2 号在底部）；不设种子的留空。抽签后不能再改。",
        "en": "Number seeds 1, 2, 3 … (seed 1 at the top of the draw, 2 at the bottom); leave the rest blank. Seeds "
        "cannot change after the draw.",
    },
    "competition.manage.seeds.seed": {"zh": "种子", "en": "Seed"},
    "competition.manage.seeds.save": {"zh": "保存种子", "en": "Save seeds"},
    "competition.manage.seeds.seeded": {"zh": "{seed} 号种子", "en": "Seed {seed}"},
    "competition.manage.setup.title": {"zh": "赛制设置", "en": "Set-up"},
    "competition.manage.setup.other_shape": {
        "zh": "当前赛制是通过接口设置的，与下列模板都不同；在此保存将替换它。",
        "en": "The current set-up was made through the API in a shape none of these templates has; saving here "
        "replaces it.",
    },
    "competition.manage.setup.refresh_hint": {
        "zh": "抽签前可以修改赛制；保存时会按最新的报名重新取参赛者，已设的种子保留。",
        "en": "The set-up can change until the draw; saving takes the entries afresh from the registrations and "
        "keeps the seeds given.",
    },
    "competition.manage.setup.template": {"zh": "赛制", "en": "Format"},
    "competition.manage.template.groups_knockout": {
        "zh": "小组循环 + 淘汰赛",
        "en": "Groups, then knockout",
    },
    "competition.manage.template.single_elimination": {"zh": "单败淘汰赛", "en": "Single elimination"},
    "competition.manage.template.double_elimination": {"zh": "双败淘汰赛", "en": "Double elimination"},
    "competition.manage.template.round_robin": {"zh": "单循环 / 双循环", "en": "Round robin"},
    "competition.manage.template.league": {"zh": "联赛（按比赛日）", "en": "League (by matchday)"},
    "competition.manage.template.swiss": {"zh": "积分编排（瑞士制）", "en": "Swiss"},
    "competition.manage.template.judged": {
        "zh": "评委评分（初赛 + 决赛）",
        "en": "Judged contest (preliminary and final)",
    },
    "competition.manage.template.meet": {"zh": "田径运动会（计时计量、团体总分）", "en": "Athletics meet"},
    "competition.manage.setup.matches": {"zh": "比赛与排名", "en": "Matches and ranking"},
    "competition.manage.setup.match_format": {"zh": "计分赛制", "en": "Match format"},
    "competition.manage.setup.tiebreak": {"zh": "排名规则", "en": "Tie-break rules"},
    "competition.manage.setup.tiebreak_hint": {
        "zh": "积分相同时依次比较的规则，按项目的竞赛规程选择。",
        "en": "The rules that separate entries level on points, as the sport's regulations set them.",
    },
    "competition.manage.setup.groups": {"zh": "小组数", "en": "Groups"},
    "competition.manage.setup.qualifiers": {"zh": "每组出线", "en": "Qualifiers per group"},
    "competition.manage.setup.legs": {"zh": "循环次数", "en": "Legs"},
    "competition.manage.setup.legs_1": {"zh": "单循环", "en": "Single"},
    "competition.manage.setup.legs_2": {"zh": "双循环（主客场）", "en": "Double (home and away)"},
    "competition.manage.setup.third_place": {"zh": "进行三四名决赛", "en": "Play a third-place match"},
    "competition.manage.setup.groups_hint": {
        "zh": "同一单位的参赛者尽量分在不同小组；淘汰赛按小组名次交叉（A1–B2、B1–A2 …），小组赛结束后自动生成。",
        "en": "Entries of one unit go to different groups where possible; the knockout crosses the groups "
        "(A1–B2, B1–A2 …) and is drawn when the groups close.",
    },
    "competition.manage.setup.grand_final": {"zh": "总决赛", "en": "Grand final"},
    "competition.manage.setup.grand_final_single": {"zh": "一场定胜负", "en": "One match"},
    "competition.manage.setup.grand_final_reset": {
        "zh": "败者组冠军获胜则加赛一场",
        "en": "A reset match if the losers' side wins",
    },
    "competition.manage.setup.grand_final_none": {"zh": "不设总决赛", "en": "No grand final"},
    "competition.manage.setup.first_matchday": {"zh": "第一个比赛日", "en": "First matchday"},
    "competition.manage.setup.days_between": {"zh": "比赛日间隔（天）", "en": "Days between matchdays"},
    "competition.manage.setup.rounds": {"zh": "轮数", "en": "Rounds"},
    "competition.manage.setup.finalists": {"zh": "进入决赛人数", "en": "Finalists"},
    "competition.manage.setup.finalists_hint": {
        "zh": "初赛前几名进入决赛；填 0 表示只比一轮。",
        "en": "The top of the preliminary go to the final; 0 for a single round.",
    },
    "competition.manage.setup.criteria": {"zh": "评分项", "en": "Criteria"},
    "competition.manage.setup.criterion_name_zh": {"zh": "评分项名称", "en": "Criterion (Chinese)"},
    "competition.manage.setup.criterion_name_en": {"zh": "英文名称", "en": "Criterion (English)"},
    "competition.manage.setup.weight": {"zh": "权重（%）", "en": "Weight (%)"},
    "competition.manage.setup.max_mark": {"zh": "满分", "en": "Full marks"},
    "competition.manage.setup.criteria_hint": {
        "zh": "权重合计 100%，例如 音准节奏 40、音色表现 30、台风仪表 30；满分默认 100。",
        "en": "Weights add up to 100%, e.g. pitch and rhythm 40, tone 30, stage presence 30; full marks default "
        "to 100.",
    },
    "competition.manage.setup.aggregation": {"zh": "计分方法", "en": "How marks combine"},
    "competition.manage.setup.aggregation.drop_high_low": {
        "zh": "去掉一个最高分和一个最低分后取平均",
        "en": "Drop the highest and the lowest mark, average the rest",
    },
    "competition.manage.setup.aggregation.mean": {"zh": "所有评委平均", "en": "Average of every judge"},
    "competition.manage.setup.aggregation.closest_pair": {
        "zh": "三位评委取最接近的两个分数平均",
        "en": "Three judges: average the two closest marks",
    },
    "competition.manage.setup.tie_rule": {"zh": "同分时", "en": "Equal scores"},
    "competition.manage.setup.tie_rule.criteria": {
        "zh": "依次比较权重最高的评分项",
        "en": "Compare the criteria, heaviest first",
    },
    "competition.manage.setup.tie_rule.shared": {"zh": "并列名次", "en": "Share the place"},
    "competition.manage.setup.tie_rule.lot": {"zh": "抽签决定", "en": "Draw lots"},
    "competition.manage.setup.tiers": {"zh": "奖项设置", "en": "Awards"},
    "competition.manage.setup.tier_name_zh": {"zh": "奖项名称", "en": "Award (Chinese)"},
    "competition.manage.setup.tier_name_en": {"zh": "英文名称", "en": "Award (English)"},
    "competition.manage.setup.tier_count": {"zh": "名额", "en": "How many"},
    "competition.manage.setup.tier_share": {"zh": "或比例（%）", "en": "or share (%)"},
    "competition.manage.setup.tiers_hint": {
        "zh": "每个奖项填名额或占参赛人数的比例（二选一），从一等奖起依次填写；同分者获同一奖项。",
        "en": "Give each award a number of places or a share of the field (one of them), best first; equal scores "
        "get the same award.",
    },
    "competition.manage.setup.rounding": {"zh": "按比例计算名额时", "en": "Shares are rounded"},
    "competition.manage.setup.rounding.half_up": {"zh": "四舍五入", "en": "To the nearest"},
    "competition.manage.setup.rounding.floor": {"zh": "向下取整", "en": "Down"},
    "competition.manage.setup.rounding.ceil": {"zh": "向上取整", "en": "Up"},
    "competition.manage.setup.panels": {"zh": "评委分组（可选）", "en": "Judging panels (optional)"},
    "competition.manage.setup.panel_name": {"zh": "组名", "en": "Panel"},
    "competition.manage.setup.panel_judges": {"zh": "评委工号", "en": "Judges' staff numbers"},
    "competition.manage.setup.panel_entries": {"zh": "评分对象（参赛者编号）", "en": "Entries (their ids)"},
    "competition.manage.setup.panels_hint": {
        "zh": "不分组时每位评委给所有选手评分。分组时评委只看到并评分本组的选手（用于初赛）；编号见上方参赛名单。",
        "en": "Without panels every judge marks every entry. With panels a judge sees and marks only their panel's "
        "entries (in the preliminary); the ids are in the entries list above.",
    },
    "competition.manage.setup.place_points": {"zh": "名次得分", "en": "Place points"},
    "competition.manage.setup.place_points_hint": {
        "zh": "第 1 名起每个名次的得分，如 7,5,4,3,2,1 或 9,7,6,5,4,3,2,1；计入各单位团体总分。",
        "en": "Points for 1st place on, e.g. 7,5,4,3,2,1 or 9,7,6,5,4,3,2,1; they add up to each unit's total.",
    },
    "competition.manage.setup.disciplines": {"zh": "比赛项目", "en": "Disciplines"},
    "competition.manage.setup.discipline_number": {"zh": "项目 {n}", "en": "Discipline {n}"},
    "competition.manage.setup.discipline_name_zh": {"zh": "项目名称", "en": "Name (Chinese)"},
    "competition.manage.setup.discipline_name_en": {"zh": "英文名称", "en": "Name (English)"},
    "competition.manage.setup.discipline_code": {"zh": "项目代码（可不填）", "en": "Code (optional)"},
    "competition.manage.setup.attempts": {"zh": "试跳/试掷次数", "en": "Attempts"},
    "competition.manage.setup.measure": {"zh": "成绩类型", "en": "Measured in"},
    "competition.manage.measure.time": {"zh": "时间（越少越好）", "en": "Time (lower wins)"},
    "competition.manage.measure.distance": {"zh": "远度/高度（越大越好）", "en": "Distance or height (higher wins)"},
    "competition.manage.measure.points": {"zh": "得分（越高越好）", "en": "Points (higher wins)"},
    "competition.manage.setup.discipline_entries": {"zh": "参赛者（已选 {count}）", "en": "Entrants ({count} chosen)"},
    "competition.manage.setup.disciplines_hint": {
        "zh": "项目按性别、年龄组分别设置（如 男子青年组 100 米）；参赛者从已确认报名的会员中勾选。",
        "en": "Set disciplines per gender and age group (e.g. men's youth 100 m); tick the entrants among the "
        "confirmed registrations.",
    },
    "competition.manage.setup.save": {"zh": "保存赛制", "en": "Save the set-up"},
    "competition.manage.setup.locked": {
        "zh": "已经抽签或开始比赛，赛制不能再修改。",
        "en": "The draw has been made or play has started: the set-up can no longer change.",
    },
    "competition.manage.setup.whole": {
        "zh": "请填写 {low}–{high} 之间的整数",
        "en": "A whole number from {low} to {high}",
    },
    "competition.manage.setup.choose": {"zh": "请选择一项", "en": "Choose one"},
    "competition.manage.setup.date": {"zh": "请填写日期", "en": "Enter a date"},
    "competition.manage.setup.criterion_row": {
        "zh": "第 {row} 个评分项：请填写名称和 0–100 之间的权重，满分须大于 0",
        "en": "Criterion {row}: give a name, a weight from 0 to 100 and full marks above 0",
    },
    "competition.manage.setup.criteria_missing": {"zh": "请至少设置一个评分项", "en": "Add at least one criterion"},
    "competition.manage.setup.weights": {
        "zh": "评分项权重合计须为 100%（现为 {total}%）",
        "en": "The weights must add up to 100% (now {total}%)",
    },
    "competition.manage.setup.tier_row": {
        "zh": "第 {row} 个奖项：请填写名称，并在名额和比例中填且只填一项",
        "en": "Award {row}: give a name and either a number of places or a share, not both",
    },
    "competition.manage.setup.panel_row": {
        "zh": "第 {row} 个评委组：请填写评委工号",
        "en": "Panel {row}: give its judges' staff numbers",
    },
    "competition.manage.setup.place_points_invalid": {
        "zh": "请填写 1 到 12 个整数，用逗号分隔",
        "en": "Give 1 to 12 whole numbers separated by commas",
    },
    "competition.manage.setup.discipline_row": {
        "zh": "第 {row} 个项目：请填写名称并选择成绩类型",
        "en": "Discipline {row}: give a name and what it is measured in",
    },
    "competition.manage.setup.disciplines_missing": {"zh": "请至少设置一个项目", "en": "Add at least one discipline"},
    "competition.manage.officials.title": {"zh": "裁判与评委", "en": "Referees and judges"},
    "competition.manage.officials.hint": {
        "zh": "裁判可以录入和更正本活动的比分与成绩；评委只能给分配给自己的选手评分。",
        "en": "Referees enter and correct this event's results; judges mark only the entries assigned to them.",
    },
    "competition.manage.officials.role": {"zh": "职责", "en": "Role"},
    "competition.manage.officials.remove": {"zh": "取消", "en": "Remove"},
    "competition.manage.officials.none": {"zh": "还没有任命裁判或评委。", "en": "No referees or judges yet."},
    "competition.manage.officials.add": {"zh": "任命裁判或评委", "en": "Name a referee or judge"},
    "competition.manage.officials.staff_no": {"zh": "工号", "en": "Staff number"},
    "competition.manage.officials.add_submit": {"zh": "任命", "en": "Name"},
    "competition.manage.officials.not_official": {
        "zh": "此人不是本活动的裁判或评委。",
        "en": "This member is not a referee or judge of the event.",
    },
    "competition.manage.role.referee": {"zh": "裁判", "en": "Referee"},
    "competition.manage.role.judge": {"zh": "评委", "en": "Judge"},
    "competition.manage.refused": {"zh": "操作未完成（{code}）。", "en": "Not done ({code})."},
    "competition.manage.refused_matches": {"zh": "相关比赛：{matches}", "en": "Matches: {matches}"},
    "competition.manage.done.setup": {"zh": "赛制已保存。", "en": "The set-up is saved."},
    "competition.manage.done.seeds": {"zh": "种子已保存。", "en": "The seeds are saved."},
    "competition.manage.done.draw": {"zh": "已抽签。", "en": "The draw is made."},
    "competition.manage.done.open": {"zh": "比赛已开始。", "en": "The stage has started."},
    "competition.manage.done.close": {"zh": "本阶段已结束。", "en": "The stage is closed."},
    "competition.manage.done.next_round": {"zh": "下一轮已编排。", "en": "The next round is paired."},
    "competition.manage.done.publish": {"zh": "已发布。", "en": "Published."},
    "competition.manage.done.unpublish": {"zh": "已取消发布。", "en": "No longer published."},
    "competition.manage.done.official_add": {"zh": "已任命。", "en": "Named."},
    "competition.manage.done.official_remove": {"zh": "已取消任命。", "en": "Removed."},
    "competition.manage.done.result": {"zh": "比分已保存。", "en": "The result is saved."},
    "competition.manage.done.marks": {"zh": "评分已保存。", "en": "Your marks are saved."},
    "competition.manage.done.attempts": {"zh": "成绩已保存。", "en": "The attempts are saved."},
    "competition.manage.score.title": {"zh": "录入比分", "en": "Enter the result"},
    "competition.manage.score.enter": {"zh": "录入比分", "en": "Enter result"},
    "competition.manage.score.correct": {"zh": "更正", "en": "Correct"},
    "competition.manage.score.outcome": {"zh": "比赛结果", "en": "Outcome"},
    "competition.manage.outcome_choice.played": {"zh": "正常比赛", "en": "Played"},
    "competition.manage.outcome_choice.walkover_home": {
        "zh": "{home} 不战而胜（{away} 弃权）",
        "en": "{home} wins by walkover ({away} did not play)",
    },
    "competition.manage.outcome_choice.walkover_away": {
        "zh": "{away} 不战而胜（{home} 弃权）",
        "en": "{away} wins by walkover ({home} did not play)",
    },
    "competition.manage.outcome_choice.retired_home": {
        "zh": "{home} 中途退赛，{away} 胜",
        "en": "{home} retired; {away} wins",
    },
    "competition.manage.outcome_choice.retired_away": {
        "zh": "{away} 中途退赛，{home} 胜",
        "en": "{away} retired; {home} wins",
    },
    "competition.manage.score.game": {"zh": "第 {n} 局", "en": "Game {n}"},
    "competition.manage.score.score": {"zh": "比分", "en": "Score"},
    "competition.manage.score.recorded": {
        "zh": "已有比分：{result}。修改将更正这场比赛的成绩。",
        "en": "Result recorded: {result}. Saving corrects it.",
    },
    "competition.manage.score.check": {"zh": "比分有误，请检查标出的地方。", "en": "Check the marked scores."},
    "competition.manage.score.tie_hint": {
        "zh": "逐场录入；胜负已定后未进行的场次留空。",
        "en": "Enter rubber by rubber; leave the rubbers not played once the tie was decided blank.",
    },
    "competition.manage.score.rubber": {"zh": "第 {n} 场 {name}", "en": "Rubber {n}: {name}"},
    "competition.manage.score.games_hint": {
        "zh": "按局录入双方得分，未进行的局留空；退赛时录入已进行的局分（最后一局可未打完）。",
        "en": "Enter each game's points; leave games not played blank. For a retirement give the games so far (the "
        "last may be unfinished).",
    },
    "competition.manage.score.save": {"zh": "保存比分", "en": "Save the result"},
    "competition.manage.score.save_correction": {"zh": "保存更正", "en": "Save the correction"},
    "competition.manage.back_to_matches": {"zh": "返回比赛列表", "en": "Back to the matches"},
    "competition.manage.referee.title": {"zh": "裁判录分", "en": "Results to enter"},
    "competition.manage.referee.ready": {"zh": "待录入 {count} 场", "en": "{count} to enter"},
    "competition.manage.referee.none_ready": {"zh": "目前没有可录入的比赛。", "en": "No matches to enter now."},
    "competition.manage.referee.nothing": {
        "zh": "还没有进行中的比赛阶段。",
        "en": "No stage is in progress yet.",
    },
    "competition.manage.judging.title": {"zh": "评分表", "en": "Marking sheet"},
    "competition.manage.judging.pending": {"zh": "评分尚未开始。", "en": "Marking has not started yet."},
    "competition.manage.judging.closed": {
        "zh": "评分已结束，以下为您的评分，只能查看。",
        "en": "Marking has closed: your marks are shown read-only.",
    },
    "competition.manage.judging.progress": {
        "zh": "您已评 {marked}/{total} 位",
        "en": "You have marked {marked} of {total}",
    },
    "competition.manage.judging.criterion": {
        "zh": "权重 {weight}% · 满分 {max}",
        "en": "weight {weight}% · out of {max}",
    },
    "competition.manage.judging.secret": {
        "zh": "评分结束前您只能看到自己的评分，看不到其他评委的评分。",
        "en": "Until marking closes you see only your own marks, never another judge's.",
    },
    "competition.manage.judging.saved": {"zh": "已评", "en": "Marked"},
    "competition.manage.judging.save": {"zh": "保存评分", "en": "Save marks"},
    "competition.manage.judging.none": {
        "zh": "没有分配给您的选手。",
        "en": "No entries are assigned to you.",
    },
    "competition.manage.judging.mark": {"zh": "请填写 0–{max} 之间的分数", "en": "A mark from 0 to {max}"},
    "competition.manage.meet.attempts": {"zh": "每人 {count} 次", "en": "{count} attempts each"},
    "competition.manage.meet.not_open": {
        "zh": "比赛未开始或已结束，成绩只能查看。",
        "en": "The meet has not started or has closed: the marks are read-only.",
    },
    "competition.manage.meet.placings": {"zh": "当前名次", "en": "Placings so far"},
    "competition.manage.meet.mark": {"zh": "成绩", "en": "Mark"},
    "competition.manage.meet.points": {"zh": "得分", "en": "Points"},
    "competition.manage.meet.no_mark": {"zh": "无成绩", "en": "No mark"},
    "competition.manage.meet.hint_time": {
        "zh": "时间写作 12.34（秒）或 1:02.35（分:秒）；犯规或未完成留空。",
        "en": "Write times as 12.34 (seconds) or 1:02.35 (minutes:seconds); leave a foul or no finish blank.",
    },
    "competition.manage.meet.hint_distance": {
        "zh": "远度写作 5.62（米）；犯规留空。",
        "en": "Write distances as 5.62 (metres); leave a foul blank.",
    },
    "competition.manage.meet.hint_points": {
        "zh": "填写得分；无成绩留空。",
        "en": "Write the points; leave none blank.",
    },
    "competition.manage.meet.entered_tag": {"zh": "已录入", "en": "Entered"},
    "competition.manage.meet.attempt": {"zh": "第 {n} 次", "en": "Attempt {n}"},
    "competition.manage.meet.save": {"zh": "保存成绩", "en": "Save"},
    "competition.manage.meet.no_entries": {"zh": "这个项目还没有参赛者。", "en": "This discipline has no entrants."},
    "competition.manage.duties.title": {"zh": "裁判与评委工作", "en": "Refereeing and judging"},
    "competition.manage.duties.matches": {"zh": "录入比分", "en": "Enter results"},
    "competition.manage.duties.marks": {"zh": "{stage} 评分", "en": "Mark the {stage}"},
    # ---- competition: exports and score sheets (marker: competition.export) ----
    "competition.export.filename": {"zh": "比赛成绩", "en": "competition"},
    "competition.export.stage_title": {"zh": "{name}（{kind}）", "en": "{name} ({kind})"},
    "competition.export.person": {"zh": "{name}（{staff_no}）", "en": "{name} ({staff_no})"},
    "competition.export.sheet.draw": {"zh": "抽签表", "en": "Draw"},
    "competition.export.sheet.matches": {"zh": "赛程成绩", "en": "Matches"},
    "competition.export.sheet.standings": {"zh": "名次", "en": "Standings"},
    "competition.export.sheet.awards": {"zh": "获奖名单", "en": "Awards"},
    "competition.export.kind.single_elimination": {"zh": "单败淘汰赛", "en": "Single elimination"},
    "competition.export.kind.double_elimination": {"zh": "双败淘汰赛", "en": "Double elimination"},
    "competition.export.kind.round_robin": {"zh": "循环赛", "en": "Round robin"},
    "competition.export.kind.groups": {"zh": "分组循环赛", "en": "Group round robin"},
    "competition.export.kind.swiss": {"zh": "瑞士制", "en": "Swiss system"},
    "competition.export.kind.league": {"zh": "联赛", "en": "League"},
    "competition.export.kind.judged": {"zh": "评委评分", "en": "Judged"},
    "competition.export.kind.measured": {"zh": "计时计量", "en": "Timed and measured"},
    "competition.export.bracket.main": {"zh": "淘汰赛", "en": "Main draw"},
    "competition.export.bracket.winners": {"zh": "胜者组", "en": "Winners' bracket"},
    "competition.export.bracket.losers": {"zh": "败者组", "en": "Losers' bracket"},
    "competition.export.bracket.grand_final": {"zh": "总决赛", "en": "Grand final"},
    "competition.export.bracket.group": {"zh": "{group}组", "en": "Group {group}"},
    "competition.export.round.final": {"zh": "决赛", "en": "Final"},
    "competition.export.round.semi_final": {"zh": "半决赛", "en": "Semi-final"},
    "competition.export.round.quarter_final": {"zh": "四分之一决赛", "en": "Quarter-final"},
    "competition.export.round.round_of": {"zh": "{n}强赛", "en": "Round of {n}"},
    "competition.export.round.round": {"zh": "第{n}轮", "en": "Round {n}"},
    "competition.export.round.grand_final": {"zh": "总决赛", "en": "Grand final"},
    "competition.export.round.grand_final_reset": {"zh": "总决赛第二场", "en": "Grand final reset"},
    "competition.export.round.third_place": {"zh": "三、四名决赛", "en": "Third-place match"},
    "competition.export.status.waiting": {"zh": "待定", "en": "Waiting"},
    "competition.export.status.ready": {"zh": "待赛", "en": "To play"},
    "competition.export.status.done": {"zh": "已赛", "en": "Played"},
    "competition.export.status.bye": {"zh": "轮空", "en": "Bye"},
    "competition.export.status.void": {"zh": "无需进行", "en": "Not needed"},
    "competition.export.bye": {"zh": "轮空", "en": "Bye"},
    "competition.export.tbd": {"zh": "待定", "en": "To be decided"},
    "competition.export.winner_of": {"zh": "{match} 胜者", "en": "Winner of {match}"},
    "competition.export.loser_of": {"zh": "{match} 负者", "en": "Loser of {match}"},
    "competition.export.draw": {"zh": "平局", "en": "Draw"},
    "competition.export.walkover": {"zh": "弃权", "en": "walkover"},
    "competition.export.retired": {"zh": "中途退赛", "en": "retired"},
    "competition.export.rubber": {"zh": "{name} {score}（{games}）", "en": "{name} {score} ({games})"},
    "competition.export.separator": {"zh": "；", "en": "; "},
    "competition.export.list_separator": {"zh": "、", "en": ", "},
    "competition.export.outcome.walkover": {"zh": "{loser} 弃权", "en": "Walkover: {loser} did not play"},
    "competition.export.outcome.retired": {"zh": "{loser} 中途退赛", "en": "{loser} retired"},
    "competition.export.reason.rule": {
        "zh": "{rule} {value} 对 {against_value}，列 {against} 之前",
        "en": "Above {against} on {rule}: {value} to {against_value}",
    },
    "competition.export.reason.among": {
        "zh": "（只计 {among} 之间的比赛）",
        "en": " (matches among {among} only)",
    },
    "competition.export.reason.lot": {
        "zh": "抽签决定列 {against} 之前（签号 {value} 先于 {against_value}）",
        "en": "Above {against} by drawing of lots (key {value} before {against_value})",
    },
    "competition.export.place.1": {"zh": "冠军", "en": "Champion"},
    "competition.export.place.2": {"zh": "亚军", "en": "Runner-up"},
    "competition.export.place.3": {"zh": "季军", "en": "Third place"},
    "competition.export.place.n": {"zh": "第{n}名", "en": "Place {n}"},
    "competition.export.not_drawn": {"zh": "尚未抽签", "en": "Not drawn yet"},
    "competition.export.not_open": {"zh": "尚未开始", "en": "Not started yet"},
    "competition.export.draw.seed": {"zh": "抽签种子", "en": "Draw seed"},
    "competition.export.draw.drawn_at": {"zh": "抽签时间", "en": "Drawn at"},
    "competition.export.draw.drawn_by": {"zh": "抽签人", "en": "Drawn by"},
    "competition.export.draw.redraws": {"zh": "重新抽签次数", "en": "Times redrawn"},
    "competition.export.provisional": {"zh": "（进行中，名次暂定）", "en": " (in progress: provisional)"},
    "competition.export.unmarked": {"zh": "尚未评分", "en": "Not marked yet"},
    "competition.export.no_mark": {"zh": "无成绩", "en": "No mark"},
    "competition.export.team_total": {"zh": "团体总分", "en": "Unit team totals"},
    "competition.export.final_placings": {"zh": "最终名次", "en": "Final placings"},
    "competition.export.not_finished": {"zh": "本阶段尚未结束", "en": "Not finished yet"},
    "competition.export.col.group": {"zh": "组别", "en": "Group"},
    "competition.export.col.number": {"zh": "序号", "en": "No."},
    "competition.export.col.entry": {"zh": "参赛方", "en": "Entry"},
    "competition.export.col.unit": {"zh": "单位", "en": "Unit"},
    "competition.export.col.seed": {"zh": "种子", "en": "Seed"},
    "competition.export.col.qualified": {"zh": "出线名次", "en": "Qualified as"},
    "competition.export.col.position": {"zh": "位置", "en": "Position"},
    "competition.export.col.first_match": {"zh": "首轮场次", "en": "First-round match"},
    "competition.export.col.discipline": {"zh": "项目", "en": "Event"},
    "competition.export.col.panel": {"zh": "评委组", "en": "Panel"},
    "competition.export.col.stage": {"zh": "阶段", "en": "Stage"},
    "competition.export.col.bracket": {"zh": "组别/赛区", "en": "Group / bracket"},
    "competition.export.col.round": {"zh": "轮次", "en": "Round"},
    "competition.export.col.match": {"zh": "场次", "en": "Match"},
    "competition.export.col.home": {"zh": "主方", "en": "Home"},
    "competition.export.col.home_unit": {"zh": "主方单位", "en": "Home unit"},
    "competition.export.col.away": {"zh": "客方", "en": "Away"},
    "competition.export.col.away_unit": {"zh": "客方单位", "en": "Away unit"},
    "competition.export.col.score": {"zh": "比分", "en": "Score"},
    "competition.export.col.games": {"zh": "各局比分", "en": "Games"},
    "competition.export.col.rubbers": {"zh": "单项比分", "en": "Rubbers"},
    "competition.export.col.winner": {"zh": "胜方", "en": "Winner"},
    "competition.export.col.outcome": {"zh": "说明", "en": "Note"},
    "competition.export.col.status": {"zh": "状态", "en": "Status"},
    "competition.export.col.when": {"zh": "时间", "en": "When"},
    "competition.export.col.court": {"zh": "场地", "en": "Court"},
    "competition.export.col.rank": {"zh": "名次", "en": "Rank"},
    "competition.export.col.played": {"zh": "场次", "en": "Played"},
    "competition.export.col.won": {"zh": "胜", "en": "Won"},
    "competition.export.col.drawn": {"zh": "平", "en": "Drawn"},
    "competition.export.col.lost": {"zh": "负", "en": "Lost"},
    "competition.export.col.match_points": {"zh": "积分", "en": "Points"},
    "competition.export.col.rubbers_for": {"zh": "单项胜", "en": "Rubbers won"},
    "competition.export.col.rubbers_against": {"zh": "单项负", "en": "Rubbers lost"},
    "competition.export.col.games_for": {"zh": "胜局", "en": "Games won"},
    "competition.export.col.games_against": {"zh": "负局", "en": "Games lost"},
    "competition.export.col.points_for": {"zh": "得分", "en": "Points for"},
    "competition.export.col.points_against": {"zh": "失分", "en": "Points against"},
    "competition.export.col.reason": {"zh": "排名说明", "en": "Tie-break"},
    "competition.export.col.judged_score": {"zh": "得分", "en": "Score"},
    "competition.export.col.judges": {"zh": "评委人数", "en": "Judges"},
    "competition.export.col.award": {"zh": "奖项", "en": "Award"},
    "competition.export.col.mark": {"zh": "成绩", "en": "Mark"},
    "competition.export.col.place_points": {"zh": "得分", "en": "Points"},
    "competition.export.col.total": {"zh": "总分", "en": "Total"},
    "competition.export.col.places": {"zh": "第{n}名数", "en": "Places {n}"},
    "competition.export.col.item": {"zh": "项目", "en": "Item"},
    "competition.export.col.result": {"zh": "成绩", "en": "Result"},
    "competition.export.sheets.title": {"zh": "记分表", "en": "Score sheets"},
    "competition.export.sheets.marking": {"zh": "评委评分表", "en": "Judge's marking sheet"},
    "competition.export.sheets.recording": {"zh": "成绩记录表", "en": "Recording sheet"},
    "competition.export.sheets.print": {"zh": "打印", "en": "Print"},
    "competition.export.sheets.back": {"zh": "返回", "en": "Back"},
    "competition.export.sheets.workbook": {"zh": "下载成绩表（XLSX）", "en": "Download the workbook (XLSX)"},
    "competition.export.sheets.stages": {"zh": "比赛阶段", "en": "Stages"},
    "competition.export.sheets.rounds": {"zh": "轮次", "en": "Rounds"},
    "competition.export.sheets.all_rounds": {"zh": "全部轮次", "en": "All rounds"},
    "competition.export.sheets.none": {
        "zh": "这一阶段没有待进行的比赛。",
        "en": "This stage has no matches left to play.",
    },
    "competition.export.sheets.not_drawn": {"zh": "这一阶段尚未抽签。", "en": "This stage has not been drawn yet."},
    "competition.export.sheets.entries_unknown": {
        "zh": "参赛名单要等上一阶段结束后才能确定。",
        "en": "The entries are known once the previous stage has finished.",
    },
    "competition.export.sheets.time": {"zh": "时间", "en": "Time"},
    "competition.export.sheets.venue": {"zh": "地点", "en": "Venue"},
    "competition.export.sheets.format": {"zh": "赛制", "en": "Format"},
    "competition.export.sheets.game": {"zh": "第{n}局", "en": "Game {n}"},
    "competition.export.sheets.rubber": {"zh": "单项", "en": "Rubber"},
    "competition.export.sheets.players": {"zh": "{side}队员", "en": "{side} players"},
    "competition.export.sheets.lineup": {"zh": "{side}出场名单", "en": "{side} line-up"},
    "competition.export.sheets.wins_needed": {
        "zh": "先胜 {n} 场者获胜，胜负已定后其余场次不再进行。",
        "en": "The first team to win {n} rubbers wins the tie; the rest are not played.",
    },
    "competition.export.sheets.all_rubbers": {
        "zh": "全部 {n} 场均须进行，胜场多者获胜。",
        "en": "All {n} rubbers are played; the team winning more wins the tie.",
    },
    "competition.export.sheets.remarks": {"zh": "备注", "en": "Remarks"},
    "competition.export.sheets.walkover": {"zh": "弃权", "en": "Walkover"},
    "competition.export.sheets.retired": {"zh": "中途退赛", "en": "Retired"},
    "competition.export.sheets.referee_sign": {"zh": "裁判员签名", "en": "Referee's signature"},
    "competition.export.sheets.captain_sign": {"zh": "{side}队长签名", "en": "{side} captain's signature"},
    "competition.export.sheets.player_sign": {"zh": "{side}签名", "en": "{side} player's signature"},
    "competition.export.sheets.judge": {"zh": "评委", "en": "Judge"},
    "competition.export.sheets.criteria": {"zh": "评分标准", "en": "Criteria"},
    "competition.export.sheets.criterion": {"zh": "满分 {max}，权重 {weight}", "en": "out of {max}, weight {weight}"},
    "competition.export.sheets.method": {"zh": "计分方法", "en": "Scoring"},
    "competition.export.sheets.aggregation.mean": {
        "zh": "各评委评分取平均",
        "en": "the judges' marks are averaged",
    },
    "competition.export.sheets.aggregation.drop_high_low": {
        "zh": "去掉一个最高分和一个最低分后取平均",
        "en": "the highest and the lowest mark are dropped and the rest averaged",
    },
    "competition.export.sheets.aggregation.closest_pair": {
        "zh": "三位评委中取最接近的两个评分的平均",
        "en": "the two closest of the three judges' marks are averaged",
    },
    "competition.export.sheets.judge_sign": {"zh": "评委签名", "en": "Judge's signature"},
    "competition.export.sheets.date": {"zh": "日期", "en": "Date"},
    "competition.export.sheets.attempt": {"zh": "第{n}次", "en": "Attempt {n}"},
    "competition.export.sheets.best": {"zh": "最好成绩", "en": "Best"},
    "competition.export.sheets.recorder_sign": {"zh": "记录员签名", "en": "Recorder's signature"},
    "competition.export.sheets.measure.time": {
        "zh": "计时项目（秒，如 12.34 或 1:02.35）",
        "en": "Timed (seconds, e.g. 12.34 or 1:02.35)",
    },
    "competition.export.sheets.measure.distance": {
        "zh": "丈量项目（米，如 5.62）",
        "en": "Measured (metres, e.g. 5.62)",
    },
    "competition.export.sheets.measure.points": {"zh": "计分项目", "en": "Scored in points"},
    # issue 15 (A): member change policy and roster import
    "member_change.member_unit": {
        "zh": "您不是该会员所在二级工会的管理员，不能修改该会员。",
        "en": "You do not administer this member's unit, so you cannot change them.",
    },
    "member_change.target_unit": {
        "zh": "您不是目标二级工会的管理员，不能把会员调入该二级工会。",
        "en": "You do not administer the unit you chose, so you cannot move the member there.",
    },
    "member_change.union_admin": {
        "zh": "只有校工会管理员可以修改校工会管理员的资料、所在二级工会和状态。",
        "en": "Only a union admin can change a union admin's details, unit or status.",
    },
    "member_change.appoint": {
        "zh": "只有校工会管理员可以任免管理员。",
        "en": "Only a union admin can give or take admin rights.",
    },
    "member_change.admin_elsewhere": {
        "zh": "该会员还是您不管理的二级工会的管理员，此修改会取消其管理权限，请联系校工会管理员。",
        "en": "This member also administers a unit you do not; this change would end those rights. Ask a union admin.",
    },
    "member_change.own_rights": {
        "zh": "不能取消您自己的管理员权限（包括把自己设为离职）。",
        "en": "You cannot remove your own admin rights (setting yourself to 'left' would).",
    },
    "member_change.last_union_admin": {
        "zh": "这是最后一位校工会管理员，不能取消其权限。请先任命另一位校工会管理员。",
        "en": "This is the last union admin; their rights cannot be removed. Appoint another union admin first.",
    },
    "roster_changed": {
        "zh": "导入期间有会员被他人修改，部分会员已不能由您导入；导入已停止，请重新上传文件查看报告。",
        "en": "Members were changed by someone else during the import, and some rows may no longer be imported by "
        "you; the import stopped. Upload the file again to see the report.",
    },
    "roster.refused.row": {"zh": "第 {row} 行“{column}”：{reason}", "en": "Row {row}, {column}: {reason}"},
    "roster.refused.member_unit": {
        "zh": "工号“{staff_no}”的会员属于其他二级工会，您不能通过导入修改该会员或将其调入您的二级工会",
        "en": 'the member with staff number "{staff_no}" belongs to another unit; an import cannot change them '
        "or move them into your unit",
    },
    "roster.refused.target_unit": {
        "zh": "您不是该二级工会的管理员，只能导入您管理的二级工会的会员",
        "en": "you do not administer this unit; you can import members of your own units only",
    },
    "roster.refused.union_admin": {
        "zh": "工号“{staff_no}”是校工会管理员，只有校工会管理员可以修改其资料、所在二级工会和状态",
        "en": 'staff number "{staff_no}" is a union admin; only a union admin can change their details, unit or status',
    },
    "roster.refused.appoint": {
        "zh": "只有校工会管理员可以任免管理员",
        "en": "only a union admin can give or take admin rights",
    },
    "roster.refused.admin_elsewhere": {
        "zh": "工号“{staff_no}”还是您不管理的二级工会的管理员，设为离职会取消其管理权限，请联系校工会管理员",
        "en": 'staff number "{staff_no}" also administers a unit you do not; setting them to left would end '
        "those rights. Ask a union admin",
    },
    "roster.refused.own_rights": {
        "zh": "这是您自己的工号，不能把自己设为离职（这会取消您的管理员权限）",
        "en": "this is your own staff number; you cannot set yourself to left (it would end your admin rights)",
    },
    "roster.refused.last_union_admin": {
        "zh": "工号“{staff_no}”是最后一位校工会管理员，不能设为离职",
        "en": 'staff number "{staff_no}" is the last union admin and cannot be set to left',
    },
    "roster.refused.more": {
        "zh": "另有 {count} 行您无权导入，未逐一列出",
        "en": "{count} more rows you may not import are not listed",
    },
    # issue 15 (B): write models and damaged records
    "field.null": {"zh": "不能为空", "en": "Must not be empty (null)"},
    "admin.member.damaged_tag": {"zh": "资料待修复", "en": "Needs repair"},
    "event_needs_repair": {
        "zh": "这项活动的部分资料无法读取，组织者修复前暂不接受报名。",
        "en": "Some of this event's stored details could not be read; registration reopens once the organisers "
        "repair it.",
    },
    "admin.member.damaged": {
        "zh": "这位会员的部分资料无法读取，下表显示的是替代值，请核对后保存：",
        "en": "Some of this member's stored details could not be read; the form shows stand-in values. "
        "Check them and save:",
    },
    "field.mark_too_large": {
        "zh": "成绩超出合理范围（时间最多 24 小时，距离最多 100 公里，得分最多 100000）",
        "en": "The mark is out of range (a time up to 24 hours, a distance up to 100 km, points up to 100,000)",
    },
    # issue 15 (C): request limits and CSRF
    "cross_site_request": {
        "zh": "此操作必须从本站页面发起，其他网站不能代您提交。请回到本站页面重试。",
        "en": "This must be sent from this site's own pages; other sites cannot act for you. "
        "Go back to this site and try again.",
    },
    "body_too_large": {
        "zh": "提交的内容过大（{size}），上限为 {limit}。",
        "en": "The request body is too large ({size}); the limit is {limit}.",
    },
    "json_too_deep": {
        "zh": "JSON 嵌套层数过多，最多 {max_depth} 层。",
        "en": "The JSON is nested too deeply; at most {max_depth} levels are allowed.",
    },
    "duplicate_json_key": {
        "zh": "JSON 对象中的键“{name}”出现了不止一次。",
        "en": 'The key "{name}" appears more than once in a JSON object.',
    },
    # issue 15 (D): security headers and static assets
    # issue 15 (E): sessions and sign-in throttling
    "sign_in_throttled": {
        "zh": "登录尝试过多，为保护账号请 {retry_after} 秒后（北京时间 {retry_at} 之后）再试。",
        "en": "Too many sign-in attempts. To protect the account, try again in {retry_after} seconds "
        "(after {retry_at} China time).",
    },
    "notification.sign_in_throttled": {
        "zh": "有人从不熟悉的地址（{address}）用错误的密码尝试登录你的账号 {failures} 次，来自陌生设备的登录已被延缓。"
        "如果不是你本人，建议修改密码；在你常用的设备上登录不受影响。",
        "en": "Someone tried to sign in to your account {failures} times with a wrong password from an unfamiliar "
        "address ({address}); sign-ins from unfamiliar devices are slowed down. If it was not you, consider "
        "changing your password; your usual devices are not affected.",
    },
    "me.sessions_title": {"zh": "登录设备", "en": "Signed-in devices"},
    "me.signout_everywhere": {"zh": "退出所有设备", "en": "Sign out everywhere"},
    "me.signout_everywhere_hint": {
        "zh": "手机丢失或在公用电脑上忘记退出时使用：你在所有设备上的登录（包括这一个）都会立即失效。",
        "en": "If you lost a phone or forgot to sign out on a shared computer: every session of yours, on every "
        "device (this one included), ends at once.",
    },
    "signin.signed_out_everywhere": {
        "zh": "已在所有设备上退出登录。",
        "en": "You have been signed out on every device.",
    },
    # issue 15 (F): exports and spreadsheet safety
    "spreadsheet.too_many_parts": {
        "zh": "该工作簿内部包含 {parts:,} 个文件，超过上限 {limit:,} 个，可能已损坏或是恶意构造的文件："
        "请用 Excel 打开后另存为新的 .xlsx 或 CSV（UTF-8）再上传",
        "en": "The workbook holds {parts:,} internal files, over the limit of {limit:,}; it may be damaged or built to "
        "attack: open it in Excel, save it as a new .xlsx or CSV (UTF-8) and upload again",
    },
    "spreadsheet.part_too_large": {
        "zh": "工作簿中的 {part} 解压后有 {size}，超过上限 {limit}：请删除无关的工作表、图片和空白内容，"
        "或拆分成多个文件分批导入",
        "en": "{part} in the workbook unpacks to {size}, over the {limit} limit: delete unrelated sheets, pictures "
        "and blank content, or split the file and import the parts one by one",
    },
    "spreadsheet.too_large_unpacked": {
        "zh": "工作簿解压后超过上限 {limit}（已累计 {size}）：请删除无关的工作表、图片和空白内容，"
        "或拆分成多个文件分批导入",
        "en": "The workbook unpacks to more than the {limit} limit ({size} counted so far): delete unrelated sheets, "
        "pictures and blank content, or split the file and import the parts one by one",
    },
    "spreadsheet.compression_ratio": {
        "zh": "工作簿中的 {part} 压缩比异常（{ratio:,} 倍，上限 {limit:,} 倍），可能是恶意构造的文件：请用 Excel 打开后"
        "另存为新的 .xlsx 或 CSV（UTF-8）再上传",
        "en": "{part} in the workbook is packed {ratio:,} to 1, over the limit of {limit:,} to 1; it may be built to "
        "attack: open it in Excel, save it as a new .xlsx or CSV (UTF-8) and upload again",
    },
    "spreadsheet.too_many_rows": {
        "zh": "表格有 {rows:,} 行（含空行），超过上限 {limit:,} 行：请删除数据下方的空行，或拆分成多个文件分批导入",
        "en": "The sheet has {rows:,} rows (blank ones included), over the limit of {limit:,}: delete the blank rows "
        "below the data, or split the file and import the parts one by one",
    },
    "spreadsheet.too_many_cells": {
        "zh": "第一个工作表有 {cells:,} 个单元格（含空白但设置了格式的单元格），超过上限 {limit:,} 个："
        "请删除多余的列和数据下方的空行，或拆分成多个文件分批导入",
        "en": "The first sheet has {cells:,} cells (formatted blank cells included), over the limit of {limit:,}: "
        "delete extra columns and the blank rows below the data, or split the file and import the parts one by one",
    },
    # issue 15 (G): faults: idempotency, outages, cancellation
    "events.checked_in_no_cancel": {
        "zh": "已签到，不能取消报名；如需退出请联系组织者",
        "en": "Checked in: this registration can no longer be cancelled; to withdraw, please contact the organiser",
    },
    "already_checked_in": {
        "zh": "您已签到，不能再取消这项报名；如需调整，请联系组织者。",
        "en": "You have already checked in, so this registration can no longer be cancelled; please contact the "
        "organiser.",
    },
    # issue 15 (H): fuzzing and security docs
    # issue 16 (N)
    "checkin.station.offline_insecure": {
        "zh": "离线时无法核验电子票：此页面未经 HTTPS 打开，请用工号查找",
        "en": "Tickets cannot be checked offline here: this page was not opened over HTTPS; look the member up by "
        "staff number",
    },
    # issue 16 (L)
    "competition.public.col.sets": {"zh": "局差", "en": "Sets ±"},
    # issue 16 (E2)
    "competition.format.volleyball": {
        "zh": "排球 五局三胜 25分（决胜局15分）",
        "en": "Volleyball, best of 5 sets to 25 (5th to 15)",
    },
    "competition.format.air_volleyball": {
        "zh": "气排球 三局两胜 21分（决胜局15分）",
        "en": "Air volleyball, best of 3 sets to 21 (3rd to 15)",
    },
    "competition.format.badminton_5": {
        "zh": "羽毛球团体 五场（男单、女单、男双、女双、混双）",
        "en": "Badminton team, 5 rubbers (MS, WS, MD, WD, XD)",
    },
    "competition.format.badminton_3": {
        "zh": "羽毛球团体 三场（第一单打、双打、第二单打）",
        "en": "Badminton team, 3 rubbers (S1, D, S2)",
    },
    "competition.format.badminton_mixed_3": {
        "zh": "羽毛球团体 三场（男双、女双、混双）",
        "en": "Badminton team, 3 doubles (MD, WD, XD)",
    },
    "competition.format.table_tennis_swaythling": {
        "zh": "乒乓球团体 五场单打（A–X、B–Y、C–Z、A–Y、B–X）",
        "en": "Table tennis team, five singles (A–X, B–Y, C–Z, A–Y, B–X)",
    },
    "competition.format.table_tennis_olympic": {
        "zh": "乒乓球团体 奥运会赛制（双打、A–X、C–Z、A–Y、B–X）",
        "en": "Table tennis team, Olympic format (doubles, A–X, C–Z, A–Y, B–X)",
    },
    "competition.format.badminton": {"zh": "羽毛球 三局两胜 21分", "en": "Badminton, best of 3 games to 21"},
    "competition.format.table_tennis": {"zh": "乒乓球 五局三胜 11分", "en": "Table tennis, best of 5 games to 11"},
    "competition.format.badminton_single_game": {"zh": "羽毛球 一局 21分", "en": "Badminton, one game to 21"},
    "competition.format.table_tennis_bo7": {"zh": "乒乓球 七局四胜 11分", "en": "Table tennis, best of 7 games to 11"},
    "competition.format.table_tennis_bo3": {"zh": "乒乓球 三局两胜 11分", "en": "Table tennis, best of 3 games to 11"},
    "competition.format.football": {"zh": "足球", "en": "Football"},
    "competition.format.basketball": {"zh": "篮球", "en": "Basketball"},
    "competition.rubber.ms": {"zh": "男单", "en": "Men's singles"},
    "competition.rubber.ws": {"zh": "女单", "en": "Women's singles"},
    "competition.rubber.md": {"zh": "男双", "en": "Men's doubles"},
    "competition.rubber.wd": {"zh": "女双", "en": "Women's doubles"},
    "competition.rubber.xd": {"zh": "混双", "en": "Mixed doubles"},
    "competition.rubber.s1": {"zh": "第一单打", "en": "First singles"},
    "competition.rubber.d": {"zh": "双打", "en": "Doubles"},
    "competition.rubber.s2": {"zh": "第二单打", "en": "Second singles"},
    "competition.rubber.doubles_between": {"zh": "双打 {home}–{away}", "en": "Doubles {home}–{away}"},
    "competition.rubber.singles_between": {"zh": "单打 {home}–{away}", "en": "Singles {home}–{away}"},
    "competition.criterion.match_points": {"zh": "积分", "en": "match points"},
    "competition.criterion.wins": {"zh": "胜场数", "en": "wins"},
    "competition.criterion.head_to_head": {"zh": "相互间胜负", "en": "head-to-head"},
    "competition.criterion.head_to_head_goal_diff": {"zh": "相互间净胜球", "en": "head-to-head goal difference"},
    "competition.criterion.head_to_head_goals_for": {"zh": "相互间进球数", "en": "head-to-head goals scored"},
    "competition.criterion.rubber_diff": {"zh": "净胜场数（单项）", "en": "rubber difference"},
    "competition.criterion.rubber_ratio": {"zh": "单场胜负比率", "en": "individual matches ratio"},
    "competition.criterion.game_diff": {"zh": "净胜局数", "en": "game difference"},
    "competition.criterion.game_ratio": {"zh": "胜负局比率", "en": "games ratio"},
    "competition.criterion.point_diff": {"zh": "净胜分", "en": "point difference"},
    "competition.criterion.point_ratio": {"zh": "得失分比率", "en": "points ratio"},
    "competition.criterion.points_for": {"zh": "总得分", "en": "points scored"},
    "competition.criterion.goal_diff": {"zh": "净胜球", "en": "goal difference"},
    "competition.criterion.goals_for": {"zh": "进球数", "en": "goals scored"},
    "competition.criterion.lot": {"zh": "抽签", "en": "drawing of lots"},
    "competition.tiebreak.badminton": {"zh": "羽毛球（BWF）", "en": "Badminton (BWF)"},
    "competition.tiebreak.badminton_team": {"zh": "羽毛球团体（BWF）", "en": "Badminton team (BWF)"},
    "competition.tiebreak.table_tennis": {"zh": "乒乓球（ITTF）", "en": "Table tennis (ITTF)"},
    "competition.tiebreak.volleyball": {"zh": "排球（FIVB）", "en": "Volleyball (FIVB)"},
    "competition.tiebreak.air_volleyball": {"zh": "气排球", "en": "Air volleyball"},
    "competition.tiebreak.football_fifa": {
        "zh": "足球（FIFA：先看总净胜球）",
        "en": "Football (FIFA: overall goal difference first)",
    },
    "competition.tiebreak.football_uefa": {
        "zh": "足球（UEFA：先看相互间成绩）",
        "en": "Football (UEFA: head-to-head first)",
    },
    "competition.tiebreak.basketball": {
        "zh": "篮球（胜 2 分、负 1 分、弃权 0 分）",
        "en": "Basketball (2 for a win, 1 for a loss, 0 for a forfeit)",
    },
}


def N_(key: str) -> str:
    """Marks a message id written in a table for extraction (gettext_noop): ids are never built at run time."""
    return key


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """Message id -> text in ``language``, read from its compiled catalogue on first use (stdlib gettext, no Babel)."""
    import gettext

    locale = CATALOGUE_LOCALES.get(language)
    if locale is None:
        return {}
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.mo").open("rb") as compiled:
        messages: dict[str, str] = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in messages.items() if key and text}


def message_text(key: str, language: str) -> str | None:
    """The text of ``key`` in ``language`` without parameters filled in (Chinese when there is no English); None
    when the catalogue has no such message."""
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        entry = MESSAGES.get(key)
        text = None if entry is None else entry.get(language) or entry[DEFAULT_LANGUAGE]
    return text


def has_message(key: str) -> bool:
    return message_text(key, DEFAULT_LANGUAGE) is not None


def translate(key: str, language: str, **params: object) -> str:
    """The message for ``key`` in ``language`` (falling back to Chinese, then to the key itself)."""
    template = message_text(key, language)
    if template is None:
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        # A message whose parameters were not supplied is still better shown than lost.
        return template


def state_label(state: str, language: str) -> str:
    """A registration state (its value) in words (``chalicelib.domain.records.STATE_LABELS``)."""
    from chalicelib.domain.records import STATE_LABELS, RegistrationState

    return translate(STATE_LABELS[RegistrationState(state)], language)


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


def notification_text(notification, language: str) -> str:
    """A notification (``chalicelib.domain.records.Notification``) as one sentence in ``language``."""
    from chalicelib.domain.records import NOTIFICATION_MESSAGES

    return translate(
        NOTIFICATION_MESSAGES[notification.kind],
        language,
        title=notification.event_title,
        **{key: value for key, value in notification.details.items() if key != "title"},
    )
