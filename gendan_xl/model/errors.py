"""The one exception type for expected bad input, with its code and its location."""

from __future__ import annotations

from gendan_xl.model.flags import Coded


class ErrorCode(Coded):
    """What went wrong, for a script to act on (``--json`` carries it): each member is its code."""

    # files and folders
    FILE_NOT_FOUND = "FILE_NOT_FOUND", "文件或文件夹不存在", "file or folder not found"
    WRONG_PATH = "WRONG_PATH", "路径类型不对", "a folder where a file is wanted, or a file where a folder is"
    WRONG_FILE_TYPE = "WRONG_FILE_TYPE", "文件类型不对", "wrong or unsupported file type"
    FILE_LOCKED = "FILE_LOCKED", "文件被占用或无权限", "file open in another program, or no permission"
    MASTER_BUSY = "MASTER_BUSY", "主工作簿正被写入", "master being written by another gendan"
    FILE_ERROR = "FILE_ERROR", "文件操作失败", "file operation failed (disk full, no permission, ...)"
    OUTPUT_EXISTS = "OUTPUT_EXISTS", "输出文件已存在，不会被覆盖", "output file exists and is not overwritten"
    # reading a file
    BAD_WORKBOOK = "BAD_WORKBOOK", "工作簿已损坏或不是工作簿", "corrupt workbook, or not a workbook"
    ENCRYPTED = "ENCRYPTED", "文件有密码", "password-protected file"
    UNSAFE_FILE = "UNSAFE_FILE", "文件不安全", "unsafe file (zip bomb, DOCTYPE)"
    TOO_LARGE = "TOO_LARGE", "文件或工作表太大", "file or sheet too large"
    EMPTY_FILE = "EMPTY_FILE", "文件是空的", "empty file"
    BAD_TEXT = "BAD_TEXT", "文本无法读取", "text cannot be read (binary data or unknown encoding)"
    SHEET_MISSING = "SHEET_MISSING", "找不到工作表", "sheet not found"
    HEADER_NOT_FOUND = "HEADER_NOT_FOUND", "找不到表头行", "no header row found"
    COLUMN_MISSING = "COLUMN_MISSING", "缺少列", "column missing"
    UNKNOWN_FIELD = "UNKNOWN_FIELD", "未知字段", "unknown field"
    # the master's tables
    TABLE_MISSING = "TABLE_MISSING", "缺少表格", "table missing"
    TABLE_BLOCKED = "TABLE_BLOCKED", "表格旁边不是空的", "cells beside the table are not empty"
    BAD_DATE = "BAD_DATE", "日期无效", "not a date"
    BAD_NUMBER = "BAD_NUMBER", "数字无效", "not a number"
    BAD_VALUE = "BAD_VALUE", "值无效", "value not allowed"
    BAD_SETTING = "BAD_SETTING", "设置无效", "invalid setting"
    UNKNOWN_TA = "UNKNOWN_TA", "未知工序模板或工序", "unknown T&A template or milestone"
    HISTORY_CHANGED = "HISTORY_CHANGED", "历史表已被改动", "history sheet changed"
    DATE_ORDER_CONFLICT = "DATE_ORDER_CONFLICT", "日期顺序不符", "day/month order contradicts the one given or remembered"
    # commands
    BAD_OPTION = "BAD_OPTION", "选项无效", "invalid option or command"
    AS_OF_TOO_FAR = "AS_OF_TOO_FAR", "截至日期太远", "as-of date too far ahead"
    REPORT_NOT_FOUND = "REPORT_NOT_FOUND", "历史中没有此报告", "no report of that date"
    UNKNOWN_PARTY = "UNKNOWN_PARTY", "找不到供应商或客户", "unknown supplier or customer"
    STATEMENT_PERIOD = "STATEMENT_PERIOD", "对账期间不明", "statement period unclear or not the one given"
    PDF_FAILED = "PDF_FAILED", "无法生成 PDF", "PDF not made"
    NO_QUOTE = "NO_QUOTE", "没有可发给客户的报价", "no quote to show the customer"
    UNKNOWN_STYLE = "UNKNOWN_STYLE", "找不到款号或颜色", "no order line has that style (and colour)"
    NOTHING_TO_SHIP = "NOTHING_TO_SHIP", "没有待出货的订单行", "no order line of it left to ship"
    UNKNOWN_SHIPMENT = "UNKNOWN_SHIPMENT", "找不到出运编号", "no shipment with that number"
    INVALID_SHIPMENT = "INVALID_SHIPMENT", "出运数据有误", "the shipment has bad input and cannot be documented"
    # the macro-enabled master and this PC's setup
    ALREADY_MACRO_ENABLED = "ALREADY_MACRO_ENABLED", "工作簿已启用宏", "workbook already has macros (a VBA project)"
    NOT_MACRO_ENABLED = "NOT_MACRO_ENABLED", "工作簿没有宏", "workbook has no macros (no VBA project)"
    VBA_NOT_KEPT = "VBA_NOT_KEPT", "无法保留工作簿中用户自己的 VBA", "the user's own VBA in the workbook cannot be kept"
    SETUP_FAILED = "SETUP_FAILED", "本电脑的 Excel 设置失败", "setting up this PC for Excel failed"


class GendanError(Exception):
    """Bad input a user can fix: carries its ``code`` (an :class:`ErrorCode`), file, sheet, row,
    column, value and what was expected.

    The message is bilingual and names every location part that is known, e.g.
    ``orders.csv, sheet 订单 Orders, row 12, column 交期 Due date, value '31/02/2026': expected a date``.
    """

    def __init__(self, message: str, *, code: ErrorCode, file=None, sheet=None, row=None, column=None,
                 value=None, expected: str | None = None):
        self.reason = message
        self.code = ErrorCode(code)
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        super().__init__(self.describe())

    def with_file(self, file) -> GendanError:
        """The same error, naming ``file`` when it named none (e.g. a Settings cell of the workbook)."""
        if self.file is not None:
            return self
        return GendanError(self.reason, code=self.code, file=file, sheet=self.sheet, row=self.row,
                           column=self.column, value=self.value, expected=self.expected)

    def describe(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        text = self.reason
        if where:
            text = f"{text} [{', '.join(where)}]"
        if self.expected:
            text = f"{text}: expected {self.expected}"
        return text
