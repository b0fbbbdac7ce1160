// stdout_logfile / stderr_logfile and their options for one process of a
// [program:x]. Private to src/config.
//
// | supervisord                      | superv                                  |
// | -------------------------------- | --------------------------------------- |
// | AUTO (the default)               | CHILDLOGDIR/NAME-stdout---IDENTIFIER.log |
// | NONE, OFF                        | none (/dev/null)                        |
// | /dev/stdout (stdout_logfile)     | inherit: superv's own stdout            |
// | /dev/stderr (stderr_logfile)     | inherit: superv's own stderr            |
// | any other path                   | that file, rotated by *_maxbytes        |
// | syslog (deprecated), *_syslog    | a warning: superv has no syslog output  |
//
// supervisord names AUTO files with a random suffix (mkstemp) and deletes
// old ones at start; superv's AUTO names are fixed, so a process keeps
// appending to the same file across restarts and reloads.
#pragma once

#include "section_reader.hpp"

namespace superv::config::detail::ini {

// Sets p.stdout_log and p.stderr_log; p.name and p.redirect_stderr are set.
void read_process_logs(SectionReader& r, const Names& names, ProgramConfig& p);

// The AUTO log file of process `name` for `stream` ("stdout" / "stderr").
std::string auto_log_path(const IniContext& ctx, const std::string& name, std::string_view stream);

}  // namespace superv::config::detail::ini
