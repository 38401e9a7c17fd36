"""The `newsbot` command line: settings errors, ingest, stats and the text commands.

Most tests call `bot.cli.main` in-process with a temp working directory (so no stray `.env`
is read); the start-up error test runs a real subprocess to see exactly what a user sees.
"""

from __future__ import annotations

import io
import json
import random
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from newsbot.bot.cli import main
from newsbot.data.bundled import sample_article_paths
from newsbot.handlers.ingestion.decoding import decode_bytes
from newsbot.handlers.ingestion.drafts import NO_WORDS_REASON, SPACELESS_REASON, SourceError

TEXT = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge in Lakeport reopened to traffic on Friday after four months of repairs "
    "that replaced its corroded cables and resurfaced the deck.\n\n"
    "“The bridge is safe, it is quieter and it will last another fifty years,” said city "
    "engineer Tomas Varga, who led the project.\n\n"
    "The repairs cost 38 million crowns, slightly less than planned. Buses that had been "
    "diverted through the old town return to their usual routes on Monday.\n\n"
    "Varga said the work had been finished two weeks early. “Our crews worked through the "
    "storms in October,” he added."
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and a clean environment for the settings."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "BOT_TOKEN",
        "ADMIN_IDS",
        "DATABASE_PATH",
        "TELEGRAM_API_URL",
        "DEFAULT_TIMEZONE",
        "LOG_LEVEL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "SUMMARY_ALGORITHM",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    return tmp_path


def test_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    env = {"PATH": "", "ADMIN_IDS": "12,abc", "DATABASE_PATH": str(tmp_path / "x.db")}
    result = subprocess.run(
        [sys.executable, "-m", "newsbot.bot.cli", "stats"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ADMIN_IDS" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_without_a_token_explains(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert "BOT_TOKEN" in capsys.readouterr().err


def test_ingest_folder_then_stats(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = workdir / "in"
    folder.mkdir()
    (folder / "bridge.txt").write_text(TEXT, encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "rejected" in out
    assert main(["ingest", str(folder / "bridge.txt")]) == 0
    assert "duplicate" in capsys.readouterr().out
    assert main(["stats"]) == 0
    stats = capsys.readouterr().out
    assert "articles: 1" in stats


def test_ingest_samples(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--samples"]) == 0
    assert f"{len(sample_article_paths())} added" in capsys.readouterr().out


def test_ingest_without_sources(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest"]) == 2
    assert "name files" in capsys.readouterr().err


def test_summarize_file_and_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workdir / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["summarize", str(path), "--sentences", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert main(["summarize", str(path), "--json", "--algorithm", "lead"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["algorithm"] == "lead" and len(data["summary"]) == 3


def test_summarize_jsonl_batch(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = workdir / "in.jsonl"
    rows.write_text(
        json.dumps({"id": "a", "article": TEXT}) + "\n" + json.dumps({"id": 2, "text": ""}) + "\n",
        encoding="utf-8",
    )
    assert main(["summarize", "--jsonl", str(rows), "--sentences", "1"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in out] == ["a", 2]
    assert out[0]["summary"] and "\n" not in out[0]["summary"]
    assert out[1]["summary"] == ""


def test_quotes_jsonl_offsets_point_into_the_input(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = workdir / "q.jsonl"
    rows.write_text(json.dumps({"doc_id": "d1", "text": TEXT}) + "\n", encoding="utf-8")
    assert main(["quotes", "--jsonl", str(rows)]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["doc_id"] == "d1" and row["quotes"]
    for quote in row["quotes"]:
        assert quote["text"] in TEXT[quote["start"] : quote["end"]]
        assert quote["speaker"] == "Tomas Varga"


def test_quotes_plain_output(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workdir / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["quotes", str(path)]) == 0
    assert "Tomas Varga" in capsys.readouterr().out


# A PNG signature and then noise: binary by its magic, whatever else decoding tolerates.
BINARY = b"\x89PNG\r\n\x1a\n" + random.Random(12).randbytes(2000)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summarize", "missing.txt"], "cannot read missing.txt: No such file or directory"),
        (
            ["quotes", "--jsonl", "missing.jsonl"],
            "cannot read missing.jsonl: No such file or directory",
        ),
        (["summarize", "--jsonl", "."], "cannot read .: Is a directory"),
        (["summarize", "--sentences", "0", "-"], "--sentences must be between 1 and 50"),
        (["summarize", "--chars", "0", "a.txt"], "--chars must be at least 1"),
        (["summarize", "--chars", "-5", "a.txt"], "--chars must be at least 1"),
    ],
)
def test_text_commands_report_bad_arguments_with_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (workdir / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(argv) == 2
    assert capsys.readouterr() == ("", f"newsbot: {message}\n")


def _ingest_refusal(data: bytes) -> str:
    """Why ingestion refuses `data`: the text commands must say the same."""
    with pytest.raises(SourceError) as refusal:
        decode_bytes(data)
    return str(refusal.value)


@pytest.mark.parametrize(
    "command", [["summarize"], ["quotes"], ["summarize", "--jsonl"], ["quotes", "--jsonl"]]
)
@pytest.mark.parametrize("data", [BINARY, b"", b" \n\t\n"], ids=["binary", "empty", "blank"])
def test_text_commands_refuse_what_ingest_refuses(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str], data: bytes
) -> None:
    path = workdir / "input.txt"
    path.write_bytes(data)
    assert main([*command, str(path)]) == 2
    assert capsys.readouterr() == ("", f"newsbot: {path}: {_ingest_refusal(data)}\n")


def test_stdin_is_named_in_messages(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BINARY)))
    assert main(["summarize", "-"]) == 2
    assert capsys.readouterr().err == f"newsbot: stdin: {_ingest_refusal(BINARY)}\n"


BAD_LINES = [
    (b"{not json", "not JSON (Expecting property name enclosed in double quotes)"),
    (b"[" * 100_000 + b"]" * 100_000, "not JSON (nested too deeply)"),
    (b'{"id": 1, "text": "caf\xe9"}', "not UTF-8 text"),
    (b'["a list"]', "expected a JSON object"),
    (b'{"id": ' + b"9" * 5000 + b"}", "not JSON (a number has too many digits)"),
]


@pytest.mark.parametrize("command", ["summarize", "quotes"])
def test_jsonl_reports_each_bad_line_and_goes_on(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    good = json.dumps({"id": "g", "doc_id": "g", "text": TEXT}).encode()
    rows = workdir / "rows.jsonl"
    rows.write_bytes(b"\n".join([good, *(line for line, _ in BAD_LINES), b"", good]) + b"\n")
    assert main([command, "--jsonl", str(rows)]) == 1
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 2 and all(row.get("id", row.get("doc_id")) == "g" for row in out)
    assert captured.err.splitlines() == [
        f"newsbot: {rows}:{number}: {reason}" for number, (_, reason) in enumerate(BAD_LINES, 2)
    ]


def test_jsonl_rows_with_lone_surrogates_are_written_escaped(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `\ud800` is valid JSON but not UTF-8; escaping it keeps the output row readable as JSON
    rows = workdir / "rows.jsonl"
    rows.write_text('{"id": "x\\ud800", "text": "Grain \\ud800 prices rise."}\n', encoding="utf-8")
    assert main(["summarize", "--jsonl", str(rows)]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["id"] == "x\ud800"


def test_jsonl_accepts_a_byte_order_mark(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = workdir / "rows.jsonl"
    rows.write_bytes(b"\xef\xbb\xbf" + json.dumps({"doc_id": "d", "text": TEXT}).encode())
    assert main(["quotes", "--jsonl", str(rows)]) == 0
    assert json.loads(capsys.readouterr().out)["doc_id"] == "d"


def test_summarize_refuses_oversized_files(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = workdir / "big.txt"
    with big.open("wb") as handle:  # sparse: 20 MB on paper, nothing read into memory
        handle.seek(20 * 1024 * 1024)
        handle.write(b"\0")
    assert main(["summarize", str(big)]) == 2
    assert "larger than 2 MB" in capsys.readouterr().err


class _RejectingBotApi(BaseHTTPRequestHandler):
    """A Bot API that knows no token: every call is answered 401, as Telegram does."""

    def do_POST(self) -> None:
        body = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_token_telegram_rejects_stops_with_one_line(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RejectingBotApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{server.server_port}")
        assert main(["run"]) == 2
    finally:
        server.shutdown()
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("newsbot: BOT_TOKEN:")


def test_an_unreachable_bot_api_stops_with_one_line(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{port}")
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("newsbot: TELEGRAM_API_URL:")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["summarize", "quotes"])
@pytest.mark.parametrize(
    ("text", "reason"),
    [("!!! ??? ... " * 30, NO_WORDS_REASON), ("港口大桥明年春天重新开放。" * 20, SPACELESS_REASON)],
    ids=["punctuation", "chinese"],
)
def test_text_commands_refuse_text_without_words(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: str, text: str, reason: str
) -> None:
    path = workdir / "input.txt"
    path.write_text(text, encoding="utf-8")
    assert main([command, str(path)]) == 2
    assert capsys.readouterr() == ("", f"newsbot: {path}: {reason}\n")
