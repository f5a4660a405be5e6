"""An import in progress: the file, the column mapping being fixed, progress, the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import flet as ft

from app.core.imports import SEVERAL_COLUMNS, ColumnMapping, ImportPreview, ImportReport

ImportStage = Literal["choose", "preview", "importing", "report"]


@ft.observable
@dataclass
class ImportState:
    stage: ImportStage = "choose"
    file_name: str = ""
    data: bytes = b""
    uploading: float | None = None
    """Upload progress 0–1 while the browser sends the file; None otherwise."""
    mapping: ColumnMapping | None = None
    preview: ImportPreview | None = None
    done: int = 0
    total: int = 0
    report: ImportReport | None = None
    error: str | None = None
    replace_open: bool = False
    assign_after: bool = False
    assigned: int | None = None
    language: str = "en"

    def loaded(self, file_name: str, data: bytes) -> None:
        self.file_name, self.data = file_name, data
        self.uploading = None
        self.mapping = None
        self.preview = None
        self.report = None
        self.error = None
        self.stage = "preview"

    def previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.mapping = preview.mapping
        self.error = None

    def set_column(self, field_name: str, column: str | None) -> None:
        """Feed ``field_name`` from ``column`` (None: from no column)."""
        assert self.mapping is not None
        if field_name in SEVERAL_COLUMNS:
            value: list[str] | str | None = [column] if column else []
        else:
            value = column
        self.mapping = self.mapping.model_copy(update={field_name: value})

    def toggle_column(self, field_name: str, column: str) -> None:
        """Add or take away one column of a list field (phones, students, tags)."""
        assert self.mapping is not None
        current: list[str] = list(getattr(self.mapping, field_name))
        updated = [c for c in current if c != column] if column in current else [*current, column]
        self.mapping = self.mapping.model_copy(update={field_name: updated})

    def started(self) -> None:
        self.stage = "importing"
        self.done = self.total = 0
        self.error = None

    def progressed(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def finished(self, report: ImportReport, assigned: int | None = None) -> None:
        self.report = report
        self.assigned = assigned
        self.stage = "report"

    def failed(self, message: str) -> None:
        self.error = message
        self.stage = "preview" if self.data else "choose"

    def reset(self) -> None:
        self.stage = "choose"
        self.file_name, self.data = "", b""
        self.mapping = self.preview = self.report = None
        self.error = None
        self.uploading = None
        self.assigned = None
