"""The disposition catalogue: what can happen on a call, and a campaign's own additions."""

from __future__ import annotations

from .errors import NotFound
from .models import Campaign, Disposition

DEFAULT_DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition(
        code="reached_complete",
        label="Reached — done",
        labels={"es": "Contactado — completo"},
        reached=True,
        complete=True,
        final=True,
    ),
    Disposition(
        code="reached_follow_up",
        label="Reached — follow-up needed",
        labels={"es": "Contactado — requiere seguimiento"},
        reached=True,
    ),
    Disposition(
        code="left_voicemail",
        label="Left voicemail",
        labels={"es": "Dejé mensaje de voz"},
        retry=True,
    ),
    Disposition(code="no_answer", label="No answer", labels={"es": "No contestó"}, retry=True),
    Disposition(code="busy", label="Busy", labels={"es": "Ocupado"}, retry=True),
    # A bad number ends that number, not the household: another number may still work.
    Disposition(
        code="wrong_number",
        label="Wrong number",
        labels={"es": "Número equivocado"},
        retry=True,
        marks_number_bad=True,
        asks_for="bad_number",
    ),
    Disposition(
        code="disconnected",
        label="Disconnected",
        labels={"es": "Número desconectado"},
        retry=True,
        marks_number_bad=True,
        asks_for="bad_number",
    ),
    Disposition(
        code="refused",
        label="Refused",
        labels={"es": "No quiso participar"},
        reached=True,
        final=True,
    ),
    Disposition(
        code="call_back_later",
        label="Call back later",
        labels={"es": "Llamar más tarde"},
        reached=True,
        asks_for="callback_time",
    ),
    Disposition(
        code="language_needed",
        label="Needs another language",
        labels={"es": "Necesita otro idioma"},
        retry=True,
        asks_for="language",
    ),
    Disposition(
        code="do_not_call",
        label="Do not call",
        labels={"es": "No llamar"},
        reached=True,
        final=True,
        opts_out=True,
    ),
    Disposition(code="text_sent", label="Text sent", labels={"es": "Mensaje enviado"}, retry=True),
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
