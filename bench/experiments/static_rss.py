#!/usr/bin/python3
"""Experiment: how much of superv's RSS is shared-library pages, and what linking changes.

Exports a git revision (default HEAD) to a temporary tree, builds superv three ways and reads
the daemon's VmRSS / RssAnon / RssFile with 100 idle programs, 2 s after all are RUNNING:

  dynamic       the build as the project has it (shared libstdc++, spdlog, fmt, toml++, liburing)
  semi-static   toml++, spdlog and fmt header-only, liburing and libcap static, -static-libstdc++
                -static-libgcc, -ffunction-sections -fdata-sections -Wl,--gc-sections, LTO;
                glibc stays shared (getpwnam and NSS keep working)
  static        the same, fully -static (glibc's NSS then needs the same glibc's shared
                modules at run time for user/group names: the linker warns about it)

Only the exported copy's meson.build is changed; the repository is not touched.

    bench/experiments/static_rss.py [--rev REV] [--programs N]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from superv_bench import system  # noqa: E402
from superv_bench.measure import memory_kib  # noqa: E402
from superv_bench.peers import ProgramSet, SupervPeer  # noqa: E402
from superv_bench.session import Context, session, wait_status  # noqa: E402

DEPENDENCIES = """  dependency('liburing'),
  dependency('libcap'),
  dependency('tomlplusplus'),
  dependency('spdlog'),"""

HEADER_ONLY = """  dependency('liburing', static: true),
  dependency('libcap', static: true),
  declare_dependency(compile_args: ['-DTOML_HEADER_ONLY=1']),
  declare_dependency(compile_args: ['-DSPDLOG_HEADER_ONLY', '-DSPDLOG_FMT_EXTERNAL',
                                    '-DFMT_HEADER_ONLY']),"""

SECTIONS = "-ffunction-sections -fdata-sections"

VARIANTS = {
    "dynamic": (False, []),
    "semi-static": (True, ["-Db_lto=true", f"-Dcpp_args={SECTIONS}",
                           "-Dcpp_link_args=-static-libstdc++ -static-libgcc -Wl,--gc-sections"]),
    "static": (True, ["-Db_lto=true", f"-Dcpp_args={SECTIONS}",
                      "-Dcpp_link_args=-static -Wl,--gc-sections"]),
}


def build(tree, variant, workdir):
    header_only, options = VARIANTS[variant]
    source = os.path.join(workdir, f"src-{variant}")
    subprocess.run(["cp", "-a", tree, source], check=True)
    if header_only:
        path = os.path.join(source, "meson.build")
        with open(path) as f:
            text = f.read()
        if DEPENDENCIES not in text:
            raise SystemExit("meson.build's dependency list changed: update this experiment")
        with open(path, "w") as f:
            f.write(text.replace(DEPENDENCIES, HEADER_ONLY))
    build_dir = os.path.join(workdir, f"build-{variant}")
    subprocess.run(["meson", "setup", build_dir, source, "--buildtype=release", "-Dtests=false",
                    *options], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", build_dir, "superv"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return os.path.join(build_dir, "superv")


def rss_of(ctx, binary, programs):
    peer = SupervPeer(binary, "uring")
    ps = ProgramSet(programs, startsecs=1)
    with session(ctx, peer, ps) as daemon:
        wait_status(daemon, ps.names, time.monotonic() + 60, "start")
        time.sleep(2)
        rss, anon = memory_kib(daemon.pid)
    return rss, anon


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rev", default="HEAD")
    p.add_argument("--programs", type=int, default=100)
    args = p.parse_args()
    workdir = tempfile.mkdtemp(prefix="superv-static-rss-")
    tree = os.path.join(workdir, "tree")
    commit = system.export_revision(args.rev, tree)
    helper, floor, _probe = system.compile_tools(workdir)  # the init probe is not used here
    ctx = Context(helper=helper, floor=floor, workroot=workdir, log=lambda m: None)
    print(f"superv {commit[:12]}, {args.programs} idle programs, io_uring backend")
    print(f"{'variant':12} {'binary':>10} {'VmRSS':>10} {'RssAnon':>10} {'RssFile':>10}")
    for variant in VARIANTS:
        binary = build(tree, variant, workdir)
        rss, anon = rss_of(ctx, binary, args.programs)
        size = os.path.getsize(binary) / 1024
        print(f"{variant:12} {size:8.0f} K {rss / 1024:8.2f} M {anon / 1024:8.2f} M "
              f"{(rss - anon) / 1024:8.2f} M", flush=True)
    print(f"(work directory: {workdir})")


if __name__ == "__main__":
    main()
