#include "superv/daemon/daemon.hpp"

#include <grp.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "superv/common/memory.hpp"
#include "superv/config/processes.hpp"
#include "superv/control/socket_path.hpp"
#include "superv/daemon/daemon_loop.hpp"
#include "superv/daemon/process_settings.hpp"
#include "superv/daemon/program_table.hpp"
#include "superv/log/logging.hpp"
#include "superv/loop/deferred_backend.hpp"
#include "superv/sys/fd.hpp"
#include "superv/sys/reaper.hpp"
#include "superv/sys/signals.hpp"

namespace superv::daemon {

namespace {
// Every process costs a pidfd (and more fds for its output): lift the soft
// limit to the hard one, as a supervisor of 1000 programs needs.
void raise_fd_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
}

// The level superv logs at: -v (or the tini / dumb-init verbosity), else
// $SUPERV_LOG_LEVEL, else the config's; without a config (`-- CMD` alone)
// warnings and errors only, as tini is silent unless asked.
std::string log_level(const Options& options, const config::Config& cfg) {
    if (!options.log_level.empty()) return options.log_level;
    const char* env = std::getenv("SUPERV_LOG_LEVEL");
    if (env != nullptr && *env != '\0') return env;
    if (options.config_path.empty() && !options.main_command.empty()) return "warn";
    return cfg.daemon.log_level;
}

// The control socket: --socket, else the config's, else $SUPERV_SOCKET, else
// the default. `-- CMD` without a config (a container's init, nested ones,
// several on a host) has none unless asked for.
std::string socket_path(const Options& options, const config::Config& cfg) {
    if (!options.socket.empty()) return options.socket;
    if (!cfg.daemon.socket.empty()) return cfg.daemon.socket;
    std::string socket = control::socket_from_environment();
    if (socket.empty() && !options.config_path.empty()) socket = control::default_socket_path();
    return socket;
}

// False when superv cannot run: its socket taken by another superv, when
// there is no command that must run whatever happens.
bool listen_control(DaemonLoop& daemon, const Options& options, const config::Config& cfg) {
    const std::string socket = socket_path(options, cfg);
    if (socket.empty()) return true;
    control::SocketAccess access;
    access.mode = cfg.daemon.socket_mode.value_or(0600);
    if (!cfg.daemon.socket_group.empty()) {
        const group* gr = ::getgrnam(cfg.daemon.socket_group.c_str());
        if (gr == nullptr) {
            spdlog::critical("socket_group \"{}\": no such group", cfg.daemon.socket_group);
            return false;
        }
        access.group = gr->gr_gid;
    }
    auto r = daemon.listen(socket, access);
    if (r) {
        spdlog::info("control socket {}", socket);
        return true;
    }
    const bool taken = r.error().err == EADDRINUSE;
    const std::string why =
        taken ? "another superv is already listening there" : r.error().message();
    if (taken && options.main_command.empty()) {
        spdlog::critical("control socket {}: {}", socket, why);
        return false;
    }
    // Still worth running (a container's init must not die for this), but
    // nobody can steer it.
    spdlog::error("control socket {}: {}; running without it", socket, why);
    return true;
}

bool listen_http(DaemonLoop& daemon, const config::Config& cfg) {
    for (const config::HttpListener& listener : cfg.daemon.http) {
        const std::string where = listener.kind == config::HttpListener::Kind::Unix
                                      ? listener.path
                                      : listener.host + ":" + std::to_string(listener.port);
        if (auto r = daemon.listen_http(listener); !r) {
            // As supervisord: a configured server that cannot listen is fatal
            // (clients would talk to whatever holds the address).
            spdlog::critical("{}: HTTP server on {}: {}", listener.pos.to_string(), where,
                             r.error().message());
            return false;
        }
        const bool open = listener.username.empty() || listener.password.empty();
        if (open && listener.kind == config::HttpListener::Kind::Tcp) {
            spdlog::warn("HTTP server on {} runs without any HTTP authentication checking", where);
        } else {
            spdlog::info("HTTP server on {}", where);
        }
    }
    return true;
}

// The event loop; logs why it fell back to epoll, or why there is none.
Result<std::unique_ptr<loop::Backend>> start_event_loop(const Options& options, bool init) {
    std::string why_fallback;
    auto backend = loop::make_backend(options.backend, &why_fallback);
    if (!backend) {
        spdlog::critical("event loop: {}", backend.error().message());
        return backend;
    }
    if (!why_fallback.empty()) spdlog::warn("io_uring unavailable ({}): using epoll", why_fallback);
    spdlog::info("superv {} starting (pid {}, {}backend {}, config {})", SUPERV_VERSION, ::getpid(),
                 init ? "init mode, " : "", backend.value()->name(),
                 options.config_path.empty() ? "none" : options.config_path);
    return backend;
}

int run_until_exit(DaemonLoop& daemon) {
    const int code = daemon.run();
    spdlog::info("superv exiting with code {}", code);
    return code;
}
}  // namespace

int run(const Options& options) {
    // Every signal is blocked first, before anything can raise one: from here
    // on they wait for the loop's signalfd, and no default action ends superv.
    auto signal_fd = sys::open_signalfd_all();
    // An init started with 0, 1 or 2 closed would hand those numbers to the
    // first files it opens, and children would write into them.
    (void)sys::ensure_stdio_open();  // best effort: nothing to report it on yet
    log::setup(options.log_level.empty() ? "info" : options.log_level);
    if (!signal_fd) {
        spdlog::critical("cannot receive signals: {}", signal_fd.error().message());
        return 2;
    }
    // Whatever fds superv itself inherited must not reach its children.
    if (auto r = sys::mark_inherited_fds_cloexec(); !r) {
        spdlog::warn("cannot mark inherited fds close-on-exec: {}", r.error().message());
    }

    auto loaded = load_table(options);
    if (!loaded.ok()) {
        for (const auto& e : loaded.errors())
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return 2;
    }
    config::Config cfg = std::move(loaded.config());
    cfg.daemon.log_level = log_level(options, cfg);
    log::configure(cfg.daemon);
    for (const auto& w : cfg.warnings)
        spdlog::warn("{}: {}", w.pos.to_string(), w.message);
    if (auto failed = apply_process_settings(cfg.daemon)) {
        spdlog::critical("{}", *failed);
        return 2;
    }
    if (options.pdeathsig != 0) {
        if (auto r = sys::set_parent_death_signal(options.pdeathsig); !r) {
            spdlog::critical("{}", r.error().message());
            return 2;
        }
    }

    sys::ignore_sigpipe();
    const bool init = options.init_mode || ::getpid() == 1;
    // Outside init mode too: grandchildren that daemonize stay ours and are reaped.
    if (::getpid() != 1) {
        if (auto r = sys::become_subreaper(); !r) {
            spdlog::warn("cannot become child subreaper: {}", r.error().message());
        }
    }
    raise_fd_limit();

    if (options.config_path.empty()) {
        // `-- CMD` alone, a container's init: the command runs first, and the
        // event loop (its requests kept until then) and the control socket
        // (if asked for) come after, off the path to the program's start.
        auto deferred = std::make_unique<loop::DeferredBackend>();
        loop::DeferredBackend& late = *deferred;
        DaemonLoop daemon(options, std::move(deferred), std::move(signal_fd.value()));
        daemon.load(std::move(cfg));
        auto backend = start_event_loop(options, init);
        if (!backend) {
            // Nothing could ever reap it or pass it a signal.
            (void)daemon.supervisor().signal(daemon.supervisor().all(), SIGKILL);
            return 2;
        }
        late.attach(std::move(backend.value()));
        const config::Config& settings = daemon.config();
        const PidFile pidfile =
            settings.daemon.pidfile.empty() ? PidFile() : PidFile(settings.daemon.pidfile);
        listen_control(daemon, options, settings);
        return_freed_memory();  // what parsing and set-up left, for the init's whole life
        return run_until_exit(daemon);
    }
    auto backend = start_event_loop(options, init);
    if (!backend) return 2;
    DaemonLoop daemon(options, std::move(backend.value()), std::move(signal_fd.value()));
    const PidFile pidfile = cfg.daemon.pidfile.empty() ? PidFile() : PidFile(cfg.daemon.pidfile);
    if (!listen_control(daemon, options, cfg) || !listen_http(daemon, cfg)) return 2;
    daemon.load(std::move(cfg));
    return run_until_exit(daemon);
}

}  // namespace superv::daemon
