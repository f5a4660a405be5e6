"""The disposition catalogue: what can happen on a call, and a campaign's own additions."""

from __future__ import annotations

from .errors import NotFound
from .models import Campaign, Disposition

DEFAULT_DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition(
        code="reached_complete",
        label="Reached — done",
        labels={
            "es": "Contactado — completo",
            "zh-Hant": "已聯絡 — 完成",
            "vi": "Đã liên lạc — xong",
            "ar": "تم التواصل — انتهى",
        },
        reached=True,
        complete=True,
        final=True,
    ),
    Disposition(
        code="reached_follow_up",
        label="Reached — follow-up needed",
        labels={
            "es": "Contactado — requiere seguimiento",
            "zh-Hant": "已聯絡 — 需要跟進",
            "vi": "Đã liên lạc — cần theo dõi",
            "ar": "تم التواصل — يلزم متابعة",
        },
        reached=True,
    ),
    Disposition(
        code="left_voicemail",
        label="Left voicemail",
        labels={
            "es": "Dejé mensaje de voz",
            "zh-Hant": "已留語音留言",
            "vi": "Đã để lại lời nhắn thoại",
            "ar": "تركت رسالة صوتية",
        },
        retry=True,
    ),
    Disposition(
        code="no_answer",
        label="No answer",
        labels={
            "es": "No contestó",
            "zh-Hant": "沒人接聽",
            "vi": "Không ai nghe máy",
            "ar": "لا رد",
        },
        retry=True,
    ),
    Disposition(
        code="busy",
        label="Busy",
        labels={"es": "Ocupado", "zh-Hant": "忙線", "vi": "Máy bận", "ar": "مشغول"},
        retry=True,
    ),
    # A bad number ends that number, not the household: another number may still work.
    Disposition(
        code="wrong_number",
        label="Wrong number",
        labels={"es": "Número equivocado", "zh-Hant": "號碼錯誤", "vi": "Sai số", "ar": "رقم خاطئ"},
        retry=True,
        marks_number_bad=True,
        asks_for="bad_number",
    ),
    Disposition(
        code="disconnected",
        label="Disconnected",
        labels={
            "es": "Número desconectado",
            "zh-Hant": "號碼已停用",
            "vi": "Số không liên lạc được",
            "ar": "الرقم مفصول",
        },
        retry=True,
        marks_number_bad=True,
        asks_for="bad_number",
    ),
    Disposition(
        code="refused",
        label="Refused",
        labels={"es": "No quiso participar", "zh-Hant": "拒絕", "vi": "Từ chối", "ar": "رفض"},
        reached=True,
        final=True,
    ),
    Disposition(
        code="call_back_later",
        label="Call back later",
        labels={
            "es": "Llamar más tarde",
            "zh-Hant": "稍後再打",
            "vi": "Gọi lại sau",
            "ar": "معاودة الاتصال لاحقًا",
        },
        reached=True,
        asks_for="callback_time",
    ),
    Disposition(
        code="language_needed",
        label="Needs another language",
        labels={
            "es": "Necesita otro idioma",
            "zh-Hant": "需要其他語言",
            "vi": "Cần ngôn ngữ khác",
            "ar": "يحتاج إلى لغة أخرى",
        },
        retry=True,
        asks_for="language",
    ),
    Disposition(
        code="do_not_call",
        label="Do not call",
        labels={
            "es": "No llamar",
            "zh-Hant": "請勿致電",
            "vi": "Không gọi nữa",
            "ar": "عدم الاتصال",
        },
        reached=True,
        final=True,
        opts_out=True,
    ),
    Disposition(
        code="text_sent",
        label="Text sent",
        labels={
            "es": "Mensaje enviado",
            "zh-Hant": "已傳送簡訊",
            "vi": "Đã gửi tin nhắn",
            "ar": "أُرسلت رسالة",
        },
        retry=True,
    ),
)

QUICK_CODES: tuple[str, ...] = ("no_answer", "left_voicemail", "reached_complete", "busy")
"""The outcomes shown as one-tap buttons; the rest sit behind "More"."""


def dispositions_for(campaign: Campaign) -> list[Disposition]:
    """The defaults, each replaced by the campaign's entry of the same code, then its new codes."""
    catalogue = {disposition.code: disposition for disposition in DEFAULT_DISPOSITIONS}
    for disposition in campaign.dispositions:
        catalogue[disposition.code] = disposition
    return list(catalogue.values())


def disposition_by_code(campaign: Campaign, code: str) -> Disposition:
    """The disposition ``code`` means in ``campaign``; NotFound when it means nothing."""
    for disposition in dispositions_for(campaign):
        if disposition.code == code:
            return disposition
    raise NotFound(f"There is no outcome {code!r} in the campaign {campaign.name!r}")
