#!/usr/bin/python3
"""Experiment: how much of superv's resident text a layout by use saves (`-- CMD` mode).

The kernel maps a file's cached pages 64 KiB at a time around each fault (fault-around), so a
function run once at start-up keeps its whole 64 KiB block resident: superv's resident text is
the number of blocks its start-up and loop touch. This experiment

1. runs BUILD/superv (a lean build directory: LTO objects in its archives) under valgrind's
   callgrind as PID 1 of a fresh PID namespace, `daemon -- /bin/true`, with each backend;
2. writes a GNU ld script placing the functions that ran first, in that order, in an output
   section of their own before .text (INSERT BEFORE .text);
3. relinks the build's own link command with that script and -ffunction-sections (so that
   LTO's output has a section per function), into OUT;
4. prints the smaps breakdown (smaps_breakdown.py) of both binaries with `-- sleep 1000`.

    bench/experiments/hot_text_order.py BUILD OUT

Needs valgrind and GNU ld (bfd). The script is only as good as its profile: functions renamed
or added since (LTO clones are named .lto_priv.N, .constprop.N) are placed as before.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]


def profile(binary, out, backend):
    subprocess.run([*UNSHARE, "valgrind", "--tool=callgrind", "--demangle=no",
                    f"--callgrind-out-file={out}", binary, "daemon", "--backend", backend, "--",
                    "/bin/true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, timeout=600)


def executed(path, binary_name):
    """The functions of the binary that ran, in the order callgrind lists them (mangled)."""
    objects, names, current, ran = {}, {}, None, []
    for line in open(path):
        m = re.match(r"^(c?)(ob|fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        callee, kind, ident, name = m.groups()
        table = objects if kind == "ob" else names
        if name:
            table[ident] = name
        if callee:
            continue
        if kind == "ob":
            current = objects.get(ident)
        elif current and os.path.basename(current) == binary_name:
            ran.append(ident)
    return [names[i].split("'")[0] for i in ran if i in names]


def linker_script(functions):
    rows, seen = [], set()
    for name in functions:
        if name in seen or not re.fullmatch(r"[A-Za-z0-9_.$]+", name):
            continue
        seen.add(name)
        rows.append("    *(" + " ".join(f"{prefix}.{name}" for prefix in (
            ".text", ".text.hot", ".text.startup", ".text.unlikely")) + ")")
    return ("/* " + f"{len(rows)} functions that ran in the profile, first */\nSECTIONS {{\n"
            "  .text.superv_hot : {\n" + "\n".join(rows) + "\n  }\n}\nINSERT BEFORE .text;\n")


def relink(build, script, out):
    commands = subprocess.run(["ninja", "-C", build, "-t", "commands", "superv"], check=True,
                              capture_output=True, text=True).stdout.splitlines()
    argv = shlex.split(commands[-1])
    argv[argv.index("-o") + 1] = os.path.abspath(out)
    argv[1:1] = ["-ffunction-sections", f"-Wl,-T,{script}"]
    subprocess.run(argv, cwd=build, check=True)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    build, out = argv
    binary = os.path.join(build, "superv")
    with tempfile.TemporaryDirectory(prefix="hot-text-") as work:
        functions = []
        for backend in ("uring", "epoll"):
            path = os.path.join(work, f"callgrind.{backend}")
            profile(binary, path, backend)
            functions += executed(path, "superv")
        script = os.path.join(work, "hot.ld")
        with open(script, "w") as f:
            f.write(linker_script(functions))
        relink(build, script, out)
    for b in (binary, out):
        print(f"== {b}", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "smaps_breakdown.py"), "--", b,
                        "daemon", "--"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
