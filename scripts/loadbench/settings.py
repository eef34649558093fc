"""Where and what the load benchmark measures, and its targets."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
DIAGNOSIS = "/api/v1/diagnosis"
SAVE = "/api/v1/assessments"

TARGET_RPS = 1500
TARGET_P99_MS = 20.0
TARGET_WORKER_MB = 250.0
