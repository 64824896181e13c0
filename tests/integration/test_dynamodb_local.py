"""The DynamoDB Local launcher itself: persistence across restarts, clean stops, clear messages."""

import pytest

from chalicelib.domain.calendar import now
from chalicelib.settings import Settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import UnitTable
from devtools import dynamodb_local
from devtools.tables import ensure_tables


def test_data_on_disk_survives_a_restart_and_stop_leaves_no_process(tmp_path, dynamodb):
    port = dynamodb_local.free_port()
    settings = Settings(stage="test", table_prefix="restart-", dynamodb_endpoint=f"http://127.0.0.1:{port}")
    try:
        with dynamodb_local.running(port, db_path=tmp_path) as first:
            ensure_tables(settings)
            UnitTable("cs", kind="sub", name_zh="计算机学院", created_at=now(), updated_at=now()).save()
        assert first.process.poll() is not None
        assert not dynamodb_local.port_in_use(port)
        with dynamodb_local.running(port, db_path=tmp_path):
            bind_tables(settings)
            assert UnitTable.get("cs").name_zh == "计算机学院"
    finally:
        bind_tables(dynamodb)


def test_a_busy_port_is_refused_with_advice(dynamodb):
    port = int(dynamodb.dynamodb_endpoint.rsplit(":", 1)[1])
    with pytest.raises(dynamodb_local.LauncherError, match="already in use"):
        dynamodb_local.start(port)


def test_missing_java_says_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(dynamodb_local.LauncherError, match="openjdk-17-jre-headless"):
        dynamodb_local.java_path()


def test_a_tarball_with_the_wrong_checksum_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(dynamodb_local, "CACHE_DIR", tmp_path / "engine")
    monkeypatch.setattr(dynamodb_local, "TARBALL_SHA256", "0" * 64)
    with pytest.raises(dynamodb_local.LauncherError, match="refusing to use it"):
        dynamodb_local.emulator_dir()
    assert not (tmp_path / "engine").exists()
