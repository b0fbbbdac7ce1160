// supervisord.conf read directly: supervisord 4.2.5's INI format and
// meanings, into the same Config a superv.toml gives. load_file() and
// load_string() (loader.hpp) come here for any text looks_like_supervisord()
// accepts, so `daemon`, `check`, `reload` and `update` take either format.
//
// The file is parsed as supervisord's Python RawConfigParser parses it (see
// src/config/ini/reader.hpp for the quirks), its values expanded as
// supervisord expands them (%(ENV_X)s, %(here)s, %(program_name)s,
// %(process_num)02d, %(group_name)s, %(host_node_name)s, %(numprocs)d, %%)
// and converted with supervisord's defaults. Then:
// - each process of a [program:x] becomes one ProgramConfig (numprocs 1,
//   named by the expanded process_name, stdin_pipe set); the processes of
//   [program:x] form group x (with a GroupConfig when that is not simply one
//   process named x), unless a [group:y] lists x: then group y holds them;
// - [supervisord], [unix_http_server], [inet_http_server] and an optional
//   [superv] (socket, socket_mode, socket_group, shutdown_timeout) fill
//   DaemonConfig;
// - [include] files of the main file are read into the same parser, as
//   supervisord does (an included file's own [include] has no effect);
// - what superv reads but cannot honour (an option without a meaning here,
//   an unknown section or key, which supervisord ignores silently) is a
//   warning in Config::warnings; [eventlistener:x] and [fcgi-program:x] are
//   errors, since superv cannot run them.
// Relative paths are taken from the directory of the file they are in
// (supervisord: from its working directory).
#pragma once

#include <string>
#include <string_view>

#include "superv/config/loader.hpp"

namespace superv::config {

// True when the first section header of `text`, [superv] and [DEFAULT]
// aside, is one of supervisord's: [supervisord], [program:x], [group:x],
// [include], [unix_http_server], [inet_http_server], [supervisorctl],
// [rpcinterface:x], [eventlistener:x], [fcgi-program:x] or [ctlplugin:x].
bool looks_like_supervisord(std::string_view text);

// Reads supervisord.conf text; `source_name` is its file name in positions,
// and its directory is %(here)s and the base of [include] patterns.
LoadResult load_supervisord(std::string_view text, const std::string& source_name,
                            const LoadOptions& options);

}  // namespace superv::config
