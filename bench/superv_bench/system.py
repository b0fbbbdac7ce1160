"""What the run needs on the machine: packages, a superv build, the C tools; and its description."""

import filecmp
import json
import os
import platform
import shutil
import subprocess

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(BENCH_DIR)
POLICY_RC_D = "/usr/sbin/policy-rc.d"


def have_matplotlib():
    try:
        import matplotlib  # noqa: F401
        return True
    except ImportError:
        return False


def ensure_packages(log):
    """apt-get install what is missing. A package's init script must not start a system
    supervisord: a policy-rc.d that refuses every start is in place during the install."""
    missing = []
    if not os.path.exists("/usr/bin/supervisord"):
        missing.append("supervisor")
    if not have_matplotlib():
        missing.append("python3-matplotlib")
    if shutil.which("cc") is None:
        missing.append("gcc")
    # The inits superv is compared with as a container's PID 1 (scenario "init").
    missing += [name for name, path in (("tini", "/usr/bin/tini-static"),
                                        ("dumb-init", "/usr/bin/dumb-init"))
                if not os.path.exists(path)]
    if not missing:
        return
    log(f"installing {' '.join(missing)} (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    created_policy = not os.path.exists(POLICY_RC_D)
    if created_policy:
        with open(POLICY_RC_D, "w") as f:
            f.write("#!/bin/sh\n# superv bench: no service starts during its install\nexit 101\n")
        os.chmod(POLICY_RC_D, 0o755)
    try:
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)
    finally:
        if created_policy:
            os.unlink(POLICY_RC_D)


def export_revision(rev, dest):
    """The tree of git revision `rev` in dest. Files whose content did not change are left
    untouched, so that an earlier build of dest only recompiles what the revision changed."""
    commit = _output(["git", "-C", REPO_DIR, "rev-parse", f"{rev}^{{commit}}"])
    fresh = dest + ".export"
    if os.path.exists(fresh):
        shutil.rmtree(fresh)
    os.makedirs(fresh)
    archive = subprocess.run(["git", "-C", REPO_DIR, "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", fresh], input=archive, check=True)
    _sync_tree(fresh, dest)
    shutil.rmtree(fresh)
    return commit


def _sync_tree(src, dest):
    """Makes dest hold exactly src's files, replacing only those whose content differs."""
    wanted = set()
    for root, _, files in os.walk(src):
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dest, rel), exist_ok=True)
        for name in files:
            path = os.path.normpath(os.path.join(rel, name))
            wanted.add(path)
            old, new = os.path.join(dest, path), os.path.join(src, path)
            if not (os.path.isfile(old) and filecmp.cmp(old, new, shallow=False)):
                shutil.copyfile(new, old)  # mtime now: newer than any earlier build output
                shutil.copymode(new, old)
    for root, _, files in os.walk(dest):
        for name in files:
            path = os.path.normpath(os.path.join(os.path.relpath(root, dest), name))
            if path not in wanted:
                os.unlink(os.path.join(dest, path))


def build_superv(build_dir, rev, log, lean=True):
    """A build of superv in build_dir, from the working tree or (rev) a git revision: the lean
    build, or (lean False) the default one (meson's defaults: debugoptimized, shared libraries);
    returns the binary's path and what it was built from."""
    source = REPO_DIR
    if rev:
        name = rev.replace("/", "_")
        source, build_dir = f"{build_dir}-{name}-src", f"{build_dir}-{name}"
        export_revision(rev, source)
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        if lean:
            # The lean build (README "Builds"): what containers ship; older revisions lack it.
            with open(os.path.join(source, "meson_options.txt")) as f:
                lean = "option('lean'" in f.read()
            options = (["--buildtype=minsize", "-Db_lto=true", "-Dlean=true"] if lean
                       else ["--buildtype=release"])
            kind = "lean" if lean else "release"
        else:
            options, kind = [], "default"
        log(f"configuring a {kind} build of {source} in {build_dir}")
        subprocess.run(["meson", "setup", build_dir, source, *options, "-Dtests=false"],
                       check=True, stdout=subprocess.DEVNULL)
    log(f"building superv in {build_dir}")
    subprocess.run(["ninja", "-C", build_dir, "superv"], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
        options = {o["name"]: o["value"] for o in json.load(f)}
    kind = ("lean build: minsize, LTO, -Dlean=true" if options.get("lean")
            else f"{options.get('buildtype', '?')} build")
    return os.path.join(build_dir, "superv"), f"{describe_revision(rev)} ({kind})"


def describe_revision(rev=None):
    """The commit (of rev, else of the working tree, "-dirty" when it has changes)."""
    argv = ["git", "-C", REPO_DIR, "describe", "--always"]
    argv += [rev] if rev else ["--dirty"]
    return _output(argv)


def compile_tools(workdir):
    """Compiles helper/benchhelper.c, helper/benchfloor.c and (static: its own start-up is then
    a few microseconds) helper/initprobe.c; returns their paths."""
    out = []
    for name, flags in (("benchhelper", []), ("benchfloor", []), ("initprobe", ["-static"])):
        binary = os.path.join(workdir, name)
        source = os.path.join(BENCH_DIR, "helper", f"{name}.c")
        subprocess.run(["cc", "-O2", "-Wall", *flags, "-o", binary, source], check=True)
        out.append(binary)
    return out


def compile_health_tools(workdir):
    """Compiles helper/benchcheck.c (static, as initprobe) and helper/benchserve.c, the tools of
    scenario "health"; returns their paths."""
    out = []
    for name, flags in (("benchcheck", ["-static"]), ("benchserve", [])):
        binary = os.path.join(workdir, name)
        source = os.path.join(BENCH_DIR, "helper", f"{name}.c")
        subprocess.run(["cc", "-O2", "-Wall", *flags, "-o", binary, source], check=True)
        out.append(binary)
    return out


def _lscpu(field):
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == field:
            return value.strip()
    return "?"


def _meminfo_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    return 0.0


def _output(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def describe_machine(superv_binary, superv_source, default_source=None):
    return {
        "cpu": _lscpu("Model name"),
        "cores": _lscpu("CPU(s)"),
        "nproc": os.cpu_count(),
        "ram_gib": round(_meminfo_gib(), 1),
        "kernel": platform.release(),
        "os": _output(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "superv": _output([superv_binary, "version"]).splitlines()[0:1],
        "superv_source": superv_source,
        "supervisord": _output(["/usr/bin/supervisord", "--version"]),
        "python": platform.python_version(),
        "superv_default_source": default_source,
        "inits": {name: _output(["dpkg-query", "-W", "-f", "${Version}", name]) or "?"
                  for name in ("tini", "dumb-init")},  # Debian's package versions
    }
