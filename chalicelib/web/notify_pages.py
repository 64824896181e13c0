"""Pages of notifications outside the app (issue 20): a member's channel choices (/me/notify-settings) and the
union admin's delivery page (/admin/deliveries). The unread badge is rendered by base.html (web/render.py)."""

from __future__ import annotations

from pydantic import ValidationError

from chalicelib.api.notify import NotifySettingsIn
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.language import N_
from chalicelib.domain.notify import SKIP_INVALID_ADDRESS, SKIP_NO_ADDRESS, Channel
from chalicelib.errors import AppError, BadRequest
from chalicelib.i18n import translate
from chalicelib.services import notify_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.web.forms import field_problems, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_APP: N_("notify.channel.in_app"),
    Channel.WECOM: N_("notify.channel.wecom"),
    Channel.EMAIL: N_("notify.channel.email"),
    Channel.SMS: N_("notify.channel.sms"),
}
ADDRESS_PROBLEMS = {
    SKIP_NO_ADDRESS: N_("notify.settings.no_address"),
    SKIP_INVALID_ADDRESS: N_("notify.settings.invalid_address"),
}
SETTINGS_PATH = "/me/notify-settings"


def _settings_page(principal: Principal, view: notify_views.NotifySettings, status: int = 200, **context: object):
    language = routes.language()
    rows = [
        {
            "channel": choice.channel.value,
            "label": translate(CHANNEL_LABELS[choice.channel], language),
            "enabled": choice.enabled,
            "address": choice.address,
            "problem": translate(ADDRESS_PROBLEMS[choice.problem], language) if choice.problem else None,
        }
        for choice in view.channels
    ]
    return routes.show("notify_settings.html", principal, status, rows=rows, **context)


@routes.route("/me/notify-settings", methods=("GET", "POST"), access=Access.MEMBER)
def notify_settings(principal: Principal):
    store, settings = get_store(), get_settings()
    request = routes.current_request
    if request.method == "GET":
        saved = routes.query("saved") == "1"
        return _settings_page(principal, notify_views.notify_settings(store, settings, principal), saved=saved)
    fields = read_form_lists(request)
    try:
        body = NotifySettingsIn.model_validate({"enabled": fields.get("enabled", [])})
        enabled = [Channel(name) for name in body.enabled]
        notify_views.save_notify_settings(store, settings, principal, enabled, now())
    except (ValidationError, AppError) as problem:
        language = routes.language()
        if isinstance(problem, ValidationError):
            message = "; ".join(field_problems(problem, language).values())
        else:
            message = translate(problem.code, language)
        view = notify_views.notify_settings(store, settings, principal)
        return _settings_page(principal, view, 400, message=message)
    return redirect(f"{SETTINGS_PATH}?saved=1")


# ---- the union admin's delivery page -----------------------------------------------------------------------

# Why a delivery failed, as the union admin reads it; a code not listed reads as "notify.failure.other" with the
# code itself (codes are short and carry no personal data: chalicelib.domain.notify.SendFailed).
FAILURE_REASONS: dict[str, str] = {
    "no_address": N_("notify.failure.no_address"),
    "invalid_address": N_("notify.failure.invalid_address"),
    "wecom_no_account": N_("notify.failure.wecom_no_account"),
    "wecom_unreachable": N_("notify.failure.unreachable"),
    "email_relay_unreachable": N_("notify.failure.unreachable"),
    "email_relay_timeout": N_("notify.failure.unreachable"),
    "email_relay_garbled": N_("notify.failure.unreachable"),
    "sms_provider_unreachable": N_("notify.failure.unreachable"),
    "sms_provider_timeout": N_("notify.failure.unreachable"),
    "wecom_secret_invalid": N_("notify.failure.credentials"),
    "wecom_corp_invalid": N_("notify.failure.credentials"),
    "wecom_agent_invalid": N_("notify.failure.credentials"),
    "email_auth_refused": N_("notify.failure.credentials"),
    "sms_access_key_refused": N_("notify.failure.credentials"),
    "wecom_ip_not_trusted": N_("notify.failure.wecom_ip_not_trusted"),
    "wecom_agent_forbidden": N_("notify.failure.wecom_agent_forbidden"),
    "email_address_refused": N_("notify.failure.address_refused"),
    "email_address_invalid": N_("notify.failure.invalid_address"),
    "sms_invalid_number": N_("notify.failure.invalid_address"),
    "sms_out_of_credit": N_("notify.failure.sms_out_of_credit"),
    "sms_sign_name_refused": N_("notify.failure.sms_template"),
    "sms_template_refused": N_("notify.failure.sms_template"),
    "sms_template_parameters_refused": N_("notify.failure.sms_template"),
    "wecom_rate_limited": N_("notify.failure.rate_limited"),
    "sms_rate_limited": N_("notify.failure.rate_limited"),
}


def failure_reason(code: str, language: str) -> str:
    known = FAILURE_REASONS.get(code)
    return translate(known, language) if known else translate("notify.failure.other", language, code=code)


def _count(value: int) -> str:
    from chalicelib.services.delivery_views import COUNT_CAP

    return f"{COUNT_CAP}+" if value >= COUNT_CAP else str(value)


def _failure_row(row, language: str) -> dict[str, object]:
    from chalicelib.domain.calendar import CHINA_TZ
    from chalicelib.domain.notify import delivery_key

    delivery, member, notification = row.delivery, row.member, row.notification
    return {
        "key": delivery_key(delivery.staff_no, delivery.notification_id),
        "channel": delivery.channel.value,
        "channel_label": translate(CHANNEL_LABELS[delivery.channel], language),
        "staff_no": delivery.staff_no,
        "name": member.name if member else None,
        "member_href": f"/admin/members/{delivery.staff_no}" if member else None,
        "title": notification.event_title if notification else None,
        "href": _notification_href(notification),
        "at": delivery.updated_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
        "attempts": delivery.attempts,
        "reason": failure_reason(delivery.code, language),
        "code": delivery.code,
    }


def _notification_href(notification) -> str | None:
    from chalicelib.domain.notify import notification_path

    return notification_path(notification) if notification is not None else None


@routes.route("/admin/deliveries", access=Access.UNION_ADMIN)
def deliveries(principal: Principal):
    from chalicelib.services import delivery_views

    language = routes.language()
    configured = notify_views.configured_channels(get_settings())
    view = delivery_views.overview(get_store(), principal, configured, routes.query("cursor"))
    counts = [
        {
            "label": translate(CHANNEL_LABELS[c.channel], language),
            "configured": c.configured,
            "waiting": _count(c.waiting),
            "failed": _count(c.failed),
        }
        for c in view.counts
    ]
    rows = [_failure_row(row, language) for row in view.failures]
    retried = routes.query("retried")
    return routes.show(
        "admin_deliveries.html",
        principal,
        counts=counts,
        rows=rows,
        next_cursor=view.next_cursor,
        retried=int(retried) if retried and retried.isdigit() else None,
        stale=routes.query("stale") == "1",
    )


@routes.route("/admin/deliveries/retry", methods=("POST",), access=Access.UNION_ADMIN)
def retry_delivery(principal: Principal):
    from chalicelib.services import delivery_views

    fields = read_form_lists(routes.current_request)
    key, channel = (fields.get(name, [""])[0] for name in ("key", "channel"))
    known = {c.value: c for c in CHANNEL_LABELS if c is not Channel.IN_APP}
    if channel not in known or not 3 <= len(key) <= 200 or key.count("#") != 1:
        raise BadRequest()
    done = delivery_views.retry(get_store(), principal, key, known[channel], now())
    return redirect("/admin/deliveries?retried=1" if done else "/admin/deliveries?stale=1")


@routes.route("/admin/deliveries/retry-all", methods=("POST",), access=Access.UNION_ADMIN)
def retry_all_deliveries(principal: Principal):
    from chalicelib.services import delivery_views

    count = delivery_views.retry_all(get_store(), principal, now())
    return redirect(f"/admin/deliveries?retried={count}")
