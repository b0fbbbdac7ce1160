"""`superv check`, `superv import` and `superv version` need no daemon."""
from superv_harness import run_cli


def test_check_accepts_a_valid_config(tmp_path):
    cfg = tmp_path / "ok.toml"
    cfg.write_text('[programs.web]\ncommand = ["/bin/sleep", "10"]\nnumprocs = 2\n')
    r = run_cli("check", "-c", str(cfg))
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout


def test_check_reports_every_error_with_its_position(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[programs.web]\n'
                   'command = ["/bin/true"]\n'
                   'stopwaitsec = 3\n'
                   'startsecs = "soon"\n')
    r = run_cli("check", "-c", str(cfg))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith(f"{cfg}:3:1: ") and "stopwaitsecs" in lines[0]
    assert lines[1].startswith(f"{cfg}:4:")


def test_check_names_a_missing_file(tmp_path):
    r = run_cli("check", "-c", str(tmp_path / "nope.toml"))
    assert r.returncode == 2
    assert "nope.toml" in r.stderr and "No such file" in r.stderr


def test_check_uses_superv_config_from_the_environment(tmp_path):
    cfg = tmp_path / "env.toml"
    cfg.write_text('[programs.a]\ncommand = "/bin/true"\n')
    r = run_cli("check", env={"SUPERV_CONFIG": str(cfg)})
    assert r.returncode == 0, r.stderr


def test_version_prints_the_version():
    r = run_cli("version")
    assert r.returncode == 0
    assert r.stdout.startswith("superv ")


def test_unknown_subcommand_is_a_usage_error():
    r = run_cli("frobnicate")
    assert r.returncode == 2


def test_import_prints_a_config_that_check_accepts(tmp_path):
    src = tmp_path / "in.toml"
    src.write_text('[superv.http]\n'
                   'listen = ["127.0.0.1:9001"]\n'
                   '[programs.web]\n'
                   'command = "/bin/sleep 10"\n'
                   'stopwaitsecs = 2.5\n'
                   'stdout_logfile = "web.log"\n')
    r = run_cli("import", "--no-strict-modes", str(src))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout == ('[superv.http]\n'
                        'listen = ["127.0.0.1:9001"]\n'
                        '\n'
                        '[programs.web]\n'
                        'command = ["/bin/sleep", "10"]\n'
                        'stopwaitsecs = 2.5\n'
                        f'stdout_logfile = "{tmp_path}/web.log"\n')
    out = tmp_path / "out.toml"
    out.write_text(r.stdout)
    r = run_cli("check", "--no-strict-modes", "-c", str(out))
    assert r.returncode == 0, r.stderr


def test_import_reports_every_error_with_its_position_and_exits_2(tmp_path):
    src = tmp_path / "bad.toml"
    src.write_text('[programs.web]\n'
                   'command = ["/bin/true"]\n'
                   'stdin = "pipes"\n'
                   '[superv.http]\n'
                   'listen = ["localhost:0"]\n')
    r = run_cli("import", str(src))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith(f"{src}:3:9: ") and '"pipe"' in lines[0]
    assert lines[1].startswith(f"{src}:5:11: ")


def test_import_needs_a_file():
    r = run_cli("import")
    assert r.returncode == 2
