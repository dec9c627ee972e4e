"""What a ribbon action shows the user: status bar, message boxes and file/text prompts.

``UI`` is the small interface the ribbon talks to; ``ExcelUI`` is Excel's own, through xlwings
(``App.status_bar`` and ``App.alert`` — its yes/no buttons for a question — on every platform; the Open dialog, the folder picker and the
input box through ``App.api``: ``Application.GetOpenFilename`` / ``FileDialog`` / ``InputBox`` on
Windows, StandardAdditions' ``choose file`` / ``choose folder`` / ``display dialog`` on macOS, the way xlwings shows its alerts there).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

import xlwings as xw

TITLE = "跟单 Gendan"
FOLDER_PICKER = 4   # msoFileDialogFolderPicker
FILE_FILTER = ("Excel / CSV (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv,"
               "所有文件 All files (*.*),*.*")


class UI(Protocol):
    def status(self, text: str | None) -> None:
        """Show progress in the status bar; None gives the status bar back to Excel."""

    def info(self, text: str) -> None:
        """A message box with a summary or a notice."""

    def error(self, text: str) -> None:
        """A message box with an error (never a traceback)."""

    def ask_yes_no(self, text: str) -> bool:
        """A message box asking ``text`` with Yes and No buttons: True for Yes."""

    def ask_files(self, title: str, multiple: bool) -> list[Path]:
        """Files the user picked (empty when cancelled)."""

    def ask_text(self, prompt: str, default: str = "") -> str | None:
        """A line of text, ``default`` filled in (None when cancelled)."""

    def ask_folder(self, title: str) -> Path | None:
        """A folder the user picked (None when cancelled)."""


class ExcelUI:
    """Excel's status bar, message boxes and dialogs for the book that called us."""

    def __init__(self, book: xw.Book):
        self.app = book.app

    def status(self, text: str | None) -> None:
        self.app.status_bar = text if text else False

    def info(self, text: str) -> None:
        self.app.alert(text, TITLE, mode="info")

    def error(self, text: str) -> None:
        self.app.alert(text, TITLE, mode="critical")

    def ask_yes_no(self, text: str) -> bool:
        return self.app.alert(text, TITLE, buttons="yes_no", mode="info") == "yes"

    def ask_files(self, title: str, multiple: bool) -> list[Path]:
        if sys.platform == "darwin":
            picked = _mac_dialog(self.app, "choose_file", with_prompt=title,
                                 multiple_selections_allowed=multiple)
            picked = [] if picked is None else picked if isinstance(picked, list) else [picked]
            return [Path(alias.path) for alias in picked]
        picked = self.app.api.GetOpenFilename(FileFilter=FILE_FILTER, Title=title, MultiSelect=multiple)
        if picked is False:
            return []
        return [Path(p) for p in (picked if isinstance(picked, (list, tuple)) else [picked])]

    def ask_text(self, prompt: str, default: str = "") -> str | None:
        if sys.platform == "darwin":
            from appscript import k
            answer = _mac_dialog(self.app, "display_dialog", prompt, default_answer=default, with_title=TITLE)
            return None if answer is None else answer[k.text_returned]
        answer = self.app.api.InputBox(Prompt=prompt, Title=TITLE, Default=default, Type=2)
        return None if answer is False else str(answer)

    def ask_folder(self, title: str) -> Path | None:
        if sys.platform == "darwin":
            picked = _mac_dialog(self.app, "choose_folder", with_prompt=title)
            return None if picked is None else Path(picked.path)
        dialog = self.app.api.FileDialog(FOLDER_PICKER)
        dialog.Title = title
        return Path(dialog.SelectedItems(1)) if dialog.Show() == -1 else None


def _mac_dialog(app: xw.App, command: str, *args, **kwargs):
    """Run a StandardAdditions dialog in Excel's process; None when the user cancels."""
    import osax
    from appscript.reference import CommandError

    additions = osax.OSAX(pid=app.pid)
    additions.activate()
    try:
        return getattr(additions, command)(*args, **kwargs)
    except CommandError:  # -128: the user cancelled
        return None
