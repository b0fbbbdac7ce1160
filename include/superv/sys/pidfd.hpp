// Include this instead of <sys/pidfd.h>: glibc 2.36's header (Debian 12)
// declares pidfd_open / pidfd_send_signal / pidfd_getfd without
// __BEGIN_DECLS, so C++ sees them with C++ linkage and the link fails with
// "undefined reference to pidfd_open(int, unsigned int)". glibc 2.37 added
// the guard; a second extern "C" around it is harmless.
#pragma once

extern "C" {
#include <sys/pidfd.h>
}
