"""The check of the embedded store's files (:mod:`assistant.index.integrity`) on real SQLite files."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.index.integrity import damage
from assistant.settings import Settings

pytestmark = pytest.mark.unit


def _store(tmp_path) -> Settings:
    settings = Settings(index_dir=tmp_path / "index")
    settings.index_dir.mkdir()
    db = sqlite3.connect(settings.index_dir / "chroma.sqlite3")
    db.executescript(
        "CREATE TABLE segments (id TEXT, scope TEXT, collection TEXT);"
        "CREATE TABLE embeddings (id INTEGER PRIMARY KEY, segment_id TEXT);"
        "INSERT INTO segments VALUES ('11111111-1111-1111-1111-111111111111', 'VECTOR', 'c');"
        "INSERT INTO segments VALUES ('m', 'METADATA', 'c');"
        "INSERT INTO embeddings (segment_id) VALUES ('m');"
    )
    db.commit()
    db.close()
    return settings


def test_a_whole_store_has_no_damage(tmp_path):
    assert damage(_store(tmp_path)) is None


def test_a_store_locked_by_a_writer_is_not_called_damaged(tmp_path):
    settings = _store(tmp_path)
    writer = sqlite3.connect(settings.index_dir / "chroma.sqlite3", timeout=0)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        assert damage(settings) is None
    finally:
        writer.rollback()
        writer.close()


def test_a_vector_folder_missing_a_file_is_damage(tmp_path):
    settings = _store(tmp_path)
    folder = settings.index_dir / "11111111-1111-1111-1111-111111111111"
    folder.mkdir()
    for name in ("header.bin", "data_level0.bin", "length.bin"):
        (folder / name).write_bytes(b"x")
    assert "link_lists.bin" in damage(settings)
