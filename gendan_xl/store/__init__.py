"""The master workbook: the Workbook protocol, the file and live-Excel workbooks, the write lock."""
