// Internal to src/sys: turns a SpawnRequest into the char* arrays and the
// PATH candidates the child needs, in the parent, where allocating is fine.
#pragma once

#include <string>
#include <vector>

#include "superv/sys/spawn.hpp"
#include "superv/sys/spawn_child.hpp"

namespace superv::sys::detail {

// The paths execvp would try for `name`: `name` itself when it contains a
// '/', else DIR/name for each element of `path` in order (an empty element
// means the current directory, as in execvp).
std::vector<std::string> exec_candidates(const std::string& name, const std::string& path);

// The PATH a request's lookup uses: "PATH=" from its environment, else
// `superv_path` (superv's own PATH, may be null), else the default.
std::string lookup_path(const SpawnRequest& request, const char* superv_path);

// Owns the arrays a ChildPlan points into. Neither copied nor moved, so those
// pointers stay valid for its whole life; it borrows the request's strings.
class ExecPlan {
  public:
    ExecPlan(const SpawnRequest& request, const char* superv_path);
    ExecPlan(const ExecPlan&) = delete;
    ExecPlan& operator=(const ExecPlan&) = delete;

    // Everything but error_fd, which spawn() fills in.
    ChildPlan child_plan(const SpawnRequest& request) const;

  private:
    std::vector<char*> argv_;
    std::vector<char*> envp_;
    std::vector<std::string> paths_;
    std::vector<const char*> path_ptrs_;
};

}  // namespace superv::sys::detail
