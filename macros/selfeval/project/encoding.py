"""Files not saved as UTF-8, refused with the line and the way to save them properly.

Excel's plain "CSV (Comma delimited)" and many Windows editors save text in Windows-1252,
where ``£``, ``–`` and curly quotes are single bytes that are not UTF-8. Such a file is
refused rather than read by guessing: every other reader of the sources (the
restricted-text checks, the leak scan, the non-interference check) reads them as UTF-8,
and a guessed encoding would let the same file mean different things to different
checks. The message names the first line with such a byte, shows the character it most
likely is, and says which option saves the file as UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from selfeval.problems import Problems

EXCEL_OPTION = 'in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'


def report_not_utf8(path: Path, where: str, problems: Problems) -> None:
    """Add the one line for a file that is not UTF-8 (or cannot be read at all)."""
    try:
        data = Path(path).read_bytes()
        data.decode("utf-8")
    except OSError as exc:
        problems.add(
            where, 0, f"cannot be read: {exc.strerror or exc}", "check the file exists and can be opened", code="file-unreadable"
        )
        return
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1]
        guess = byte.decode("cp1252", errors="replace")
        what = f"not saved as UTF-8: byte 0x{byte.hex()} ('{guess}' in Windows-1252) on this line"
        if Path(path).suffix.lower() == ".csv":
            fix = f"{EXCEL_OPTION}, or save it with UTF-8 encoding in your editor"
        else:
            fix = "save it with UTF-8 encoding in your editor (in Notepad: Save As, Encoding: UTF-8)"
        problems.add(where, line, what, fix, code="file-unreadable")
