"""Tiny UN General Debate corpora for tests: speech files laid out as the real one, a speakers sheet."""

import io
import tarfile
from pathlib import Path

import openpyxl

HEADINGS = ["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post"]


def speech_path(code, year):
    """TXT/Session 79 - 2024/KOR_79_2024.txt"""
    session = year - 1945
    return f"TXT/Session {session} - {year}/{code}_{session}_{year}.txt"


def write_corpus(folder: Path, speeches: dict[str, str | bytes]) -> Path:
    """Write {path in the corpus: text or bytes} under folder/TXT; return folder."""
    for name, content in speeches.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def write_archive(path: Path, speeches: dict[str, str | bytes]) -> Path:
    """The same as a .tgz, as the corpus is published."""
    with tarfile.open(path, "w:gz") as archive:
        for name, content in speeches.items():
            data = content if isinstance(content, bytes) else content.encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def write_speakers(path: Path, rows: list[tuple]) -> Path:
    """A speakers sheet: rows of (year, code, country, name, post); the session follows from the year."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for year, code, country, name, post in rows:
        sheet.append([year, year - 1945, code, country, name, post])
    workbook.save(path)
    return path
