#include "superv/common/memory.hpp"

#include <malloc.h>

namespace superv {

void return_freed_memory() {
    ::malloc_trim(0);
}

}  // namespace superv
