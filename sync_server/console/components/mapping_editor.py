"""The column mapping the importer detected, to fix: which CSV column feeds which field."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.core.imports import SEVERAL_COLUMNS, ColumnMapping, mapping_labels
from app.ui.components.tap import chip, chip_row
from app.ui.guard import guarded

from ..context import use_tr
from ..state import ImportState

NONE = "—"
FIELDS = mapping_labels()


@ft.component
@guarded
def MappingEditor(imports: ImportState, headers: list[str]) -> ft.Control:
    tr = use_tr()
    more, set_more = ft.use_state(False)
    mapping: ColumnMapping | None = imports.mapping
    if mapping is None:
        return ft.Container()
    fields = [name for name, field in FIELDS.items() if more or field.shown_first]

    def named(field_name: str) -> str:
        key = f"mapping.field.{field_name}"
        return tr(key) if tr.has(key) else FIELDS[field_name].label

    def single(field_name: str) -> ft.Control:
        current = getattr(mapping, field_name)

        def chosen(e: ft.Event[ft.Dropdown]) -> None:
            value = e.control.value
            imports.set_column(field_name, None if value in (None, NONE) else value)

        return ft.Semantics(
            identifier=f"mapping-{field_name}",
            label=tr(
                "mapping.column_label",
                field=named(field_name),
                column=current or tr("mapping.none"),
            ),
            content=ft.Dropdown(
                label=named(field_name),
                value=current or NONE,
                options=[ft.DropdownOption(key=NONE, text=tr("mapping.not_in_file"))]
                + [ft.DropdownOption(key=header, text=header) for header in headers],
                on_select=chosen,
                width=260,
                dense=True,
            ),
        )

    def several(field_name: str) -> ft.Control:
        current: list[str] = list(getattr(mapping, field_name))
        return ft.Column(
            [
                ft.Text(
                    tr(
                        "mapping.columns_of",
                        field=named(field_name),
                        columns=", ".join(current) or tr("mapping.no_columns"),
                    ),
                    size=14,
                    weight=ft.FontWeight.W_600,
                ),
                chip_row(
                    [
                        chip(
                            header,
                            partial(imports.toggle_column, field_name, header),
                            selected=header in current,
                            identifier=f"mapping-{field_name}-{header}",
                            label=tr("mapping.column_chip", field=named(field_name), column=header),
                        )
                        for header in headers
                    ]
                ),
            ],
            spacing=6,
        )

    singles = [single(name) for name in fields if name not in SEVERAL_COLUMNS]
    lists = [several(name) for name in fields if name in SEVERAL_COLUMNS]
    return ft.Column(
        [
            ft.Text(tr("mapping.title"), size=17, weight=ft.FontWeight.BOLD),
            ft.Row(singles, wrap=True, spacing=12, run_spacing=12),
            *lists,
            ft.TextButton(
                tr("mapping.fewer") if more else tr("mapping.more"),
                on_click=lambda: set_more(not more),
            ),
        ],
        spacing=10,
    )
