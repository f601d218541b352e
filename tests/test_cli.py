import json

from click.testing import CliRunner

from booklet.cli import cli

from .conftest import CONTENT


def run(*args):
    return CliRunner().invoke(cli, list(args), obj={})


def test_check_default_content():
    result = run("check", str(CONTENT))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "MLIR Winter School 2025: 5 days, 48 items (23 talks and tutorials), 17 speakers, 1 room"
    )
    assert lines[1] == "  Mon 27 Jan 2025  ML Compilation Infrastructure Workshop: 16 items"
    assert lines[-1] == "OK, 5 warnings."
    assert result.stderr.count("warning: ") == 5
    assert f"{CONTENT}/programme.yaml:" in result.stderr


def test_check_strict_fails_on_warnings():
    result = run("check", str(CONTENT), "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Aborted with 5 errors."
    assert "Traceback" not in result.output


def test_check_content_error_exit_code(content_factory):
    content = content_factory(programme="days:\n  - date: 2025-13-01\n")
    result = run("check", str(content))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {content}/programme.yaml:2:11: days[0].date: no such date '2025-13-01': "
        "there is no month 13 (it is written YYYY-MM-DD: check the month and the day)\n"
        "Aborted with 1 error.\n"
    )
    assert result.stdout == ""


def test_a_date_that_does_not_exist_is_named_as_such(content_factory):
    content = content_factory(programme="days:\n  - date: 2027-02-30\n")
    result = run("check", str(content))
    assert result.exit_code == 1
    assert "use YYYY-MM-DD" not in result.stderr
    assert (
        f"{content}/programme.yaml:2:11: days[0].date: no such date '2027-02-30': "
        "February 2027 has 28 days" in result.stderr
    )
    result = run("check", str(content_factory(programme="days:\n  - date: 27/02/2027\n")))
    assert "bad date '27/02/2027' (use YYYY-MM-DD)" in result.stderr  # not written that way


def test_quiet_is_accepted_before_and_after_the_command(tmp_path):
    for args in (["-q", "check", str(CONTENT)], ["check", "-q", str(CONTENT)],
                 ["check", "--quiet", str(CONTENT)]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    out = tmp_path / "out"
    result = run("build", str(CONTENT), "--out", str(out), "--only", "exports", "-q")
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.stdout and (out / "schedule.xml").is_file()
    loud = run("build", str(CONTENT), "--out", str(out), "--only", "exports")
    assert "kept" in loud.stdout


def test_check_on_a_missing_folder_suggests_init_and_import(tmp_path):
    result = run("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "content folder not found" in result.stderr
    assert "booklet init" in result.stderr and "booklet import" in result.stderr


def test_usage_error_exit_code():
    assert run("check", "--no-such-option").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_export_json():
    result = run("export", "json", str(CONTENT))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["date"] for d in data["days"]] == [f"2025-01-{d}" for d in range(27, 32)]
    assert len(data["people"]) == 17
    assert data["rooms"] == [
        {"id": "main", "name": "Main room", "capacity": None, "floor": None, "building": None}
    ]


def test_warning_free_content_prints_ok(content_factory):
    result = run("check", str(content_factory()))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "OK, 0 warnings."


def test_debug_shows_traceback(content_factory):
    content = content_factory(programme="days: []\n")
    (content / "event.yaml").write_text("title: x\ntimezone: Mars/Olympus\n")
    result = CliRunner().invoke(cli, ["--debug", "check", str(content)], obj={})
    assert result.exit_code == 1
    assert result.exception is not None


def test_build_command_writes_the_booklet(tmp_path):
    from .conftest import FIXTURES

    result = run(
        "build",
        str(FIXTURES / "multiroom"),
        "--out",
        str(tmp_path),
        "--keep-html",
        "--page-size",
        "a4",
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"wrote {tmp_path}/programme.pdf (")
    wrote = {line.split()[1].rsplit("/", 1)[1] for line in lines if line.startswith("wrote ")}
    assert wrote == {
        "programme.pdf",
        "programme-print.pdf",
        "programme-imposed.pdf",
        "programme.html",
        "badges.pdf",
        "signs.pdf",
        "schedule.xml",
        "schedule.json",
        "programme.ics",
        "index.html",
    }
    assert lines[-1] == "Preflight: 5 files, all ok."
    assert (tmp_path / "programme.pdf").read_bytes().startswith(b"%PDF-")


def test_build_refuses_bad_content_without_writing(content_factory, tmp_path):
    content = content_factory(
        programme="days:\n  - date: 2025-03-01\n    items:\n"
        '      - {start: "09:00", speakers: [nobody]}\n'
    )
    result = run("build", str(content), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "unknown person 'nobody'" in result.stderr
    assert not (tmp_path / "out").exists()
