"""ppo-admin: passphrases never on argv, one clear line on stderr and a non-zero exit on failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop import cli
from ppo_desktop.services.session import unlock
from tests.conftest import DEMO_DAY


def fingerprint_in(dry_run: str) -> str:
    """The sending store's fingerprint as a dry run prints it (what its sender reads out)."""
    found = re.search(r"signed by the sending store's key ((?:[0-9A-F]{4} ?){8})", dry_run)
    assert found, dry_run
    return found.group(1).strip()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_create_verify_users_slots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "panel")
    monkeypatch.setenv("PPO_PASSPHRASE", "a long test passphrase")
    code, out, _ = run(
        ["create", store, "--user", "admin", "--partnership", "Testshire (TEST)", "--no-keyring"], capsys
    )
    assert code == 0 and "RECOVERY KEY" in out
    code, out, _ = run(["verify", store + ".ppo", "--no-keyring"], capsys)
    assert code == 0 and "integrity: ok" in out and "audit chain intact" in out
    code, out, _ = run(["users", store + ".ppo", "--no-keyring"], capsys)
    assert out.split("\t")[:3] == ["admin", "administrator", "active"]
    code, out, _ = run(["slots", store + ".ppo", "--no-keyring"], capsys)
    assert sorted(line.split("\t")[1] for line in out.splitlines()) == ["passphrase", "recovery"]
    assert sorted(line.split("\t")[4] for line in out.splitlines()) == ["the recovery key", "user admin"]
    ws = unlock(store + ".ppo", "a long test passphrase", user_id="admin", device=DeviceSecrets(None))
    ws.vault.add_user_slot("planted", "planted kestrel moor 3")  # an insider's slot, no user behind it
    ws.close()
    code, out, _ = run(["slots", store + ".ppo", "--no-keyring"], capsys)
    assert "planted\tpassphrase-only\tNO ACTIVE USER (re-key to remove it)" in out


def test_passwd_and_add_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "panel.ppo")
    monkeypatch.setenv("PPO_PASSPHRASE", "a long test passphrase")
    run(["create", store, "--user", "admin", "--partnership", "T", "--no-keyring"], capsys)
    monkeypatch.setenv("PPO_NEW_PASSPHRASE", "the chair's passphrase")
    code, out, err = run(["add-user", store, "chair", "--role", "chair", "--no-keyring"], capsys)
    assert code == 0, err
    monkeypatch.setenv("PPO_NEW_PASSPHRASE", "a different passphrase")
    code, _, err = run(["passwd", store, "--user", "admin", "--no-keyring"], capsys)
    assert code == 0, err
    code, out, _ = run(["verify", store, "--no-keyring"], capsys)
    assert code == 1  # PPO_PASSPHRASE is now the old one
    monkeypatch.setenv("PPO_PASSPHRASE", "a different passphrase")
    code, out, _ = run(["users", store, "--no-keyring"], capsys)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["admin", "chair"]
    ws = unlock(store, "a different passphrase", user_id="admin", device=DeviceSecrets(None))
    changed = [e for e in ws.audit.entries(limit=5) if e.summary == "Passphrase changed"]
    assert len(changed) == 1 and changed[0].user_id == "admin"  # passwd is audited (it was not)
    ws.close()


def test_wrong_passphrase_is_one_line_and_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "panel.ppo")
    monkeypatch.setenv("PPO_PASSPHRASE", "a long test passphrase")
    run(["create", store, "--user", "admin", "--partnership", "T", "--no-keyring"], capsys)
    monkeypatch.setenv("PPO_PASSPHRASE", "wrong wrong wrong")
    code, out, err = run(["verify", store, "--no-keyring"], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("ppo-admin: That passphrase does not open")


def test_missing_store_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PPO_PASSPHRASE", "whatever passphrase")
    code, _, err = run(["verify", str(tmp_path / "absent.ppo"), "--no-keyring"], capsys)
    assert code == 1 and "There is no store at" in err


def test_no_passphrase_without_tty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PPO_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(
        ["create", str(tmp_path / "x"), "--user", "a", "--partnership", "T", "--no-keyring"], capsys
    )
    assert code == 1 and "no passphrase" in err


def test_passphrase_is_not_an_option() -> None:
    parser = cli.build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["verify", "x.ppo", "--passphrase", "secret"])


def test_score_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import json

    sheet = {
        "definition": "thurrock-2009-appendix2",
        "inputs": {"offences": {"robbery": {"convicted": 2}}, "impact": "serious", "intelligence": 40},
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(sheet)))
    code, out, err = run(["score"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 10 + 5 + 3 + 3
    assert result["definition"]["version"] == "1.0"
    assert {ln["key"]: ln["score"] for ln in result["lines"]}["robbery"] == 10


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"inputs": {}}', 'needs a "definition"'),
        ('{"definition": "no-such-matrix"}', "No active matrix definition 'no-such-matrix'"),
        (
            '{"definition": "thurrock-2009-appendix2", '
            '"inputs": {"offences": {"robbery": {"convicted": -1}}}}',
            "count cannot be negative",
        ),
    ],
)
def test_score_bad_input(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "sheet.json"
    sheet.write_text(content, encoding="utf-8")
    code, out, err = run(["score", str(sheet)], capsys)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1


def test_matrices_lists_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["matrices"], capsys)
    rows = [line.split("\t")[:3] for line in out.splitlines()]
    assert ["thurrock-2009-appendix2", "1.0", "active"] in rows and [
        "thurrock-2009-series",
        "1.0",
        "draft",
    ] in rows


def test_document_headless(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ppo_desktop.demo import DEMO_PASSPHRASE

    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    out = tmp_path / "tracker.pdf"
    code, stdout, err = run(
        [
            "document",
            "actions",
            str(demo_store),
            "--no-keyring",
            "--out",
            str(out),
            "--recipient",
            "Board",
            "--why",
            "Quarterly board",
        ],
        capsys,
    )
    assert code == 0, err
    assert out.read_bytes()[:5] == b"%PDF-" and "not encrypted" in err
    code, _, err = run(
        [
            "document",
            "minutes",
            str(demo_store),
            "--no-keyring",
            "--out",
            str(tmp_path / "m.pdf"),
            "--recipient",
            "Board",
            "--why",
            "x",
        ],
        capsys,
    )
    assert code == 1 and "needs --meeting" in err
    code, _, err = run(
        [
            "document",
            "actions",
            str(demo_store),
            "--no-keyring",
            "--out",
            str(tmp_path / "x.txt"),
            "--recipient",
            "Board",
            "--why",
            "x",
        ],
        capsys,
    )
    assert code == 1 and ".pdf" in err


def test_backup_and_restore_headless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "panel.ppo")
    monkeypatch.setenv("PPO_PASSPHRASE", "a long test passphrase")
    run(["create", store, "--user", "admin", "--partnership", "T", "--no-keyring"], capsys)
    (tmp_path / "b").mkdir()
    code, out, err = run(["backup", store, "--to", str(tmp_path / "b"), "--no-keyring"], capsys)
    assert code == 0, err
    bundle = next((tmp_path / "b").glob("*.ppo-backup"))
    assert "verified" in out
    code, out, err = run(
        ["restore", str(bundle), "--to", str(tmp_path / "again.ppo"), "--no-keyring"], capsys
    )
    assert code == 0, err
    assert "integrity: ok" in out and "audit chain intact" in out
    code, _, err = run(["restore", str(bundle), "--to", str(tmp_path / "again.ppo"), "--no-keyring"], capsys)
    assert code == 1 and "already exists" in err


def test_performance_report_headless(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from pypdf import PdfReader

    from ppo_desktop.demo import DEMO_PASSPHRASE

    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    out = tmp_path / "performance.pdf"
    common = [str(demo_store), "--no-keyring", "--recipient", "Board", "--why", "Board report"]
    code, stdout, err = run(
        ["document", "performance", *common, "--out", str(out), "--strand", "C&C", "--since", "2025-04-01"],
        capsys,
    )
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert f"01 Apr 2025 to {DEMO_DAY:%d %b %Y}, Catch & Convict, all areas" in text and "threshold" in text
    code, _, err = run(["document", "performance", *common, "--out", str(out), "--since", "April"], capsys)
    assert code == 1 and "already exists" in err and "--force" in err  # never over a file unasked
    code, _, err = run(
        ["document", "performance", *common, "--out", str(out), "--since", "April", "--force"], capsys
    )
    assert code == 1 and "YYYY-MM-DD" in err


def test_import_is_a_dry_run_unless_committed_and_exports_are_disclosed(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ppo_desktop.demo import DEMO_PASSPHRASE

    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    good = Path(__file__).parent.parent / "fixtures" / "imports" / "good.csv"
    store = [str(demo_store), "--no-keyring"]
    before = demo_store.read_bytes()
    code, stdout, err = run(["import", "nominations", *store, str(good)], capsys)
    assert code == 0, err
    assert "dry run: nothing was imported" in stdout and "3 rows: 2 new people, 1 matched" in stdout
    code, stdout, err = run(["import", "nominations", *store, str(good), "--commit"], capsys)
    assert code == 1 and "needs the reason" in err
    code, stdout, err = run(
        ["import", "nominations", *store, str(good), "--commit", "--why", "Monthly list"], capsys
    )
    assert code == 0 and "imported nominations from good" in stdout, err
    counts = Path(__file__).parent.parent / "fixtures" / "imports" / "negative_counts.csv"
    code, stdout, err = run(["import", "offences", *store, str(counts), "--commit", "--why", "x"], capsys)
    assert code == 1 and "Row 2: column 'Count': -2 is negative" in stdout and "5 line(s) are rejected" in err
    assert demo_store.read_bytes() != before
    out = tmp_path / "removals.csv"
    code, stdout, err = run(
        ["export", "removals", *store, "--out", str(out), "--recipient", "Board", "--why", "Return"], capsys
    )
    assert code == 0 and out.read_text(encoding="utf-8-sig").startswith("Reference,Family name"), err
    code, _, err = run(
        [
            "export",
            "reoffending",
            *store,
            "--out",
            str(out),
            "--recipient",
            "B",
            "--why",
            "R",
            "--year",
            "1999",
            "--force",
        ],
        capsys,
    )
    assert code == 1 and "no cohort year '1999'" in err


def test_transfer_pack_headless(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ppo_desktop.demo import DEMO_PASSPHRASE

    chair = [str(tmp_path / "chair.ppo"), "--no-keyring"]
    monkeypatch.setenv("PPO_PASSPHRASE", "the chair's own laptop passphrase")
    run(
        ["create", chair[0], "--user", "chair", "--partnership", "Fictionshire (chair)", "--no-keyring"],
        capsys,
    )
    code, key, err = run(["transfer-key", *chair], capsys)
    assert code == 0 and key.startswith("ppo-pk1:"), err
    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    store = [str(demo_store), "--no-keyring"]
    pack = tmp_path / "panel.ppopack"
    code, stdout, err = run(
        ["transfer-export", *store, "--out", str(pack), "--nominal", "N00001", "--nominal", "N00002",
         "--to-key", key.strip(), "--recipient", "Chair", "--why", "Panel"],
        capsys,
    )  # fmt: skip
    assert code == 0 and "encrypted" in stdout, err
    assert b"Bramblewick" not in pack.read_bytes()
    monkeypatch.setenv("PPO_PASSPHRASE", "the chair's own laptop passphrase")
    code, stdout, err = run(["transfer-import", *chair, str(pack)], capsys)
    assert code == 0 and "2 people" in stdout and "dry run" in stdout, err
    assert "signed by the sending store's key" in stdout and "first exchange" in stdout
    code, _, err = run(["transfer-import", *chair, str(pack), "--commit", "--why", "Panel"], capsys)
    assert code == 1 and "compare its fingerprint" in err  # a first pack: a person compares first
    trust = ["--trust-fingerprint", fingerprint_in(stdout)]
    code, stdout, err = run(["transfer-import", *chair, str(pack), "--commit", "--why", "Panel", *trust],
                            capsys)  # fmt: skip
    assert code == 0, err
    code, stdout, err = run(["transfer-import", *chair, str(pack)], capsys)
    assert "known key" in stdout and "nothing new for this laptop" in stdout  # merged once, then known
    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    code, _, err = run(["transfer-import", *store, str(tmp_path / "missing.ppopack")], capsys)
    assert code == 1 and "cannot read" in err


@pytest.mark.slow
def test_the_outcome_goes_back_headless_and_a_conflict_is_settled_by_flag(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """transfer-export --since-last and transfer-import show the same summary and conflicts as the
    screens; nothing is merged until each conflict is settled with --keep."""
    from db.device import DeviceSecrets
    from ppo_desktop.demo import DEMO_PASSPHRASE
    from ppo_desktop.services.meetings import Meetings
    from ppo_desktop.services.session import unlock

    chair_pass = "the chair's own laptop passphrase"
    chair, store = [str(tmp_path / "chair.ppo"), "--no-keyring"], [str(demo_store), "--no-keyring"]
    monkeypatch.setenv("PPO_PACK_PASSPHRASE", "a long pack passphrase 7")

    def as_(who: list[str]) -> list[str]:
        monkeypatch.setenv("PPO_PASSPHRASE", chair_pass if who is chair else DEMO_PASSPHRASE)
        return who

    def quorum(path: str, passphrase: str, note: str) -> None:
        ws = unlock(Path(path), passphrase, device=DeviceSecrets(None))
        try:
            meeting = next(m for m in Meetings(ws).all() if m.state.value == "planned")
            Meetings(ws).set_quorum_note(meeting.id, note)
        finally:
            ws.close()

    create = [
        "create",
        as_(chair)[0],
        "--user",
        "chair",
        "--partnership",
        "Fictionshire (chair)",
        "--no-keyring",
    ]
    assert run(create, capsys)[0] == 0
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    meeting_id = next(m.id for m in Meetings(ws).all() if m.state.value == "planned")
    ws.close()
    out, back = tmp_path / "out.ppopack", tmp_path / "back.ppopack"
    code, _, err = run(["transfer-export", *as_(store), "--out", str(out), "--meeting", str(meeting_id),
                        "--recipient", "Chair", "--why", "Panel"], capsys)  # fmt: skip
    assert code == 0, err
    code, _, err = run(["transfer-export", *store, "--out", str(back), "--since-last", "--recipient", "Chair",
                        "--why", "Panel"], capsys)  # fmt: skip
    assert code == 1 and "has not exchanged packs" in err
    _, dry, _ = run(["transfer-import", *as_(chair), str(out)], capsys)
    trust = ["--trust-fingerprint", fingerprint_in(dry)]
    code, _, err = run(["transfer-import", *as_(chair), str(out), "--commit", "--why", "Panel", *trust],
                       capsys)  # fmt: skip
    assert code == 0, err
    quorum(chair[0], chair_pass, "Quorate (chair)")
    quorum(str(demo_store), DEMO_PASSPHRASE, "Quorate (coordinator)")
    code, stdout, err = run(["transfer-export", *as_(chair), "--out", str(back), "--since-last",
                             "--recipient", "Coordinator", "--why", "Outcome"], capsys)  # fmt: skip
    assert code == 0, err
    code, stdout, err = run(["transfer-import", *as_(store), str(back)], capsys)
    assert code == 0 and "conflict 1\t" in stdout and "1 conflict" in stdout, err
    assert "'Quorate (coordinator)'" in stdout and "'Quorate (chair)' (chair on" in stdout
    commit = ["transfer-import", *store, str(back), "--commit", "--why", "Outcome",
              "--trust-fingerprint", fingerprint_in(stdout)]  # fmt: skip
    code, _, err = run(commit, capsys)
    assert code == 1 and "1 conflict(s) need a person's choice" in err
    code, _, err = run([*commit, "--keep", "1=sideways"], capsys)
    assert code == 1 and "--keep takes N=here or N=there" in err
    code, stdout, err = run([*commit, "--keep", "1=there"], capsys)
    assert code == 0 and "merged" in stdout, err
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        assert Meetings(ws).get(meeting_id).quorum_note == "Quorate (chair)"
    finally:
        ws.close()


def test_subject_access_and_restrictions_headless(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import stat

    from ppo_desktop.demo import DEMO_PASSPHRASE

    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    store = [str(demo_store), "--no-keyring"]
    restrict = ["restrict", *store, "--person", "N00006", "--ground", "b", "--withheld", "decisions"]
    code, out, err = run([*restrict, "--why", "A live investigation", "--until", "2099-01-01"], capsys)
    assert code == 0, err
    assert out.strip() == "restricted: decisions (s.45(4)(b))"
    code, out, err = run(["subject-access", *store, "--person", "N00006", "--requested-on", "2026-11-01",
                          "--to", str(tmp_path), "--redact", "nobody"], capsys)  # fmt: skip
    assert code == 1 and "TEXT=REASON" in err
    code, out, err = run(["subject-access", *store, "--person", "N00006", "--requested-on", "2026-11-01",
                          "--to", str(tmp_path)], capsys)  # fmt: skip
    assert code == 0, err
    bundle = json.loads((tmp_path / "N00006-subject-access.json").read_text(encoding="utf-8"))
    assert bundle["given_to_the_person"]["records"]["decisions"] == [] and bundle["withheld"]
    pdf = tmp_path / "N00006-subject-access.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and stat.S_IMODE(pdf.stat().st_mode) == 0o600
