"""A campaign's scripts, one per language: pick one, edit it beside its live preview, save;
start a new language, or copy one for a translator to rewrite."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.models import Script, ScriptDraft, ScriptSection
from app.ui.components.tap import chip
from app.ui.guard import guarded

from ..context import use_query, use_screen, use_tr
from ..state import ScriptEditor
from ..theme import outlined_button
from .save_script_button import SaveScriptButton
from .script_editor_panel import ScriptEditorPanel
from .script_preview_panel import ScriptPreviewPanel


def _draft(script: Script) -> ScriptDraft:
    return ScriptDraft.model_validate(script.model_dump(exclude={"id", "campaign_id"}))


def _blank(language: str) -> ScriptDraft:
    return ScriptDraft(
        language=language,
        title="",
        sections=[
            ScriptSection(
                id="greeting",
                title="Greeting",
                body="Hello, may I speak with {guardian}? My name is {caller}, calling from "
                "{school}.",
            )
        ],
    )


@ft.component
@guarded
def ScriptWorkbench(
    campaign_id: str, default_language: str, *, key: str | None = None
) -> ft.Control:
    console, state, attempt = use_screen()
    tr = use_tr()
    reloads, set_reloads = ft.use_state(0)
    scripts = use_query(lambda: console.service.scripts(campaign_id), [campaign_id, reloads])
    households = (
        use_query(lambda: console.service.preview_households(campaign_id), [campaign_id]).value
        or []
    )
    no_editor: ScriptEditor | None = None
    editor, set_editor = ft.use_state(no_editor)
    language = ft.use_ref("")
    known = scripts.value or []

    def open_script(script: Script) -> None:
        draft = _draft(script)
        set_editor(ScriptEditor(draft, saved=draft))

    def open_first() -> None:
        if editor is None and known:
            preferred = [s for s in known if s.language == default_language]
            open_script((preferred or known)[0])

    ft.use_effect(open_first, [tuple(s.id for s in known)])

    def typed(e: ft.Event[ft.TextField]) -> None:
        language.current = (e.control.value or "").strip()

    def start_new() -> None:
        code = language.current or ""
        if not code:
            state.tell(tr("scripts.type_code_first"))
            return
        if any(script.language == code for script in known):
            state.tell(tr("scripts.already", code=code))
            open_script(next(script for script in known if script.language == code))
            return
        set_editor(ScriptEditor(_blank(code)))

    async def copy() -> None:
        if editor is None:
            return
        code = language.current or ""
        copied = await attempt(
            console.service.copy_script, campaign_id, editor.draft.language, code
        )
        if copied is not None:
            open_script(copied)
            set_reloads(reloads + 1)
            state.tell(tr("scripts.copied", source=editor.draft.language, code=code))

    async def save() -> None:
        if editor is None:
            return
        saved = await attempt(console.service.save_script, campaign_id, editor.draft)
        if saved is not None:
            editor.was_saved(editor.draft)
            set_reloads(reloads + 1)
            state.tell(tr("scripts.saved", code=saved.language))

    async def delete() -> None:
        if editor is None or editor.saved is None:
            set_editor(None)
            return
        code = editor.draft.language
        await attempt(console.service.delete_script, campaign_id, code)
        set_editor(None)
        set_reloads(reloads + 1)
        state.tell(tr("scripts.deleted", code=code))

    current = editor.draft.language if editor else None
    picker = ft.Row(
        [
            *(
                chip(
                    script.language,
                    partial(open_script, script),
                    selected=script.language == current,
                    label=tr("scripts.script_in", code=script.language),
                )
                for script in known
            ),
            ft.TextField(label=tr("scripts.language_code"), width=150, dense=True, on_change=typed),
            outlined_button(tr("scripts.new"), icon=ft.Icons.ADD, on_click=start_new),
            outlined_button(
                tr("scripts.copy"),
                icon=ft.Icons.TRANSLATE,
                on_click=copy,
                disabled=editor is None or editor.saved is None,
            ),
        ],
        wrap=True,
        spacing=8,
        run_spacing=8,
    )
    blocks: list[ft.Control] = [picker]
    if editor is None:
        blocks.append(ft.Text(tr("scripts.none"), italic=True))
        return ft.Column(blocks, spacing=12)
    blocks.append(
        ft.Row(
            [
                SaveScriptButton(editor, editor.preview, save),
                ft.TextButton(tr("scripts.delete"), icon=ft.Icons.DELETE_OUTLINE, on_click=delete),
            ]
        )
    )
    blocks.append(
        ft.Row(
            [
                ft.Container(content=ScriptEditorPanel(editor), expand=3),
                ft.Container(
                    content=ScriptPreviewPanel(campaign_id, editor, editor.preview, households),
                    expand=2,
                    padding=12,
                    border_radius=12,
                    bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
            spacing=16,
        )
    )
    return ft.Column(blocks, spacing=12)
