// Giving freed heap back to the kernel at the moments the daemon goes quiet.
#pragma once

namespace superv {

// glibc keeps freed heap for reuse; a config load (its parse tree), a reload
// (the old processes) or a status reply for many processes leaves hundreds
// of KiB of it, which an idle daemon would carry. One pass over the heap
// (malloc_trim) returns it; call it after such work, not per event.
void return_freed_memory();

}  // namespace superv
