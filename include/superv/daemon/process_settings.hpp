// What the daemon-wide settings do to superv's own process at start
// ([superv] / supervisord's [supervisord] minfds, minprocs, umask,
// directory, user, pidfile). supervisord applies directory and umask only
// when it daemonizes; superv never does, so it applies them whenever set.
#pragma once

#include <optional>
#include <string>

#include "superv/config/config.hpp"

namespace superv::daemon {

// Raises RLIMIT_NOFILE / RLIMIT_NPROC to minfds / minprocs, sets the umask
// and working directory, and switches to `user` (its groups, gid, uid), in
// that order (limits need root). nullopt on success, else one line saying
// what failed, for the log before exiting 2.
std::optional<std::string> apply_process_settings(const config::DaemonConfig& daemon);

// The pidfile: written with superv's pid, removed when the daemon ends.
class PidFile {
  public:
    PidFile() = default;
    explicit PidFile(std::string path);
    ~PidFile();
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;

  private:
    std::string path_;
};

}  // namespace superv::daemon
