// lazy_library.cpp: see lazy_library.hpp.
#include "lazy_library.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {
// dlopen() itself is thread-safe, but the handle is kept: one lock for every library's
// loading (it happens once per library and process).
std::mutex loading;
}  // namespace

extern "C" void* dconv_lazy_bind(DconvLazyLibrary* library, std::size_t index) noexcept {
    void* handle = __atomic_load_n(&library->handle, __ATOMIC_ACQUIRE);
    if (!handle) {
        std::lock_guard<std::mutex> lock(loading);
        handle = library->handle;
        if (!handle) {
            handle = ::dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
            if (!handle) {
                std::fprintf(stderr, "dconv: cannot load %s: %s\n", library->soname, ::dlerror());
                std::_Exit(1);
            }
            __atomic_store_n(&library->handle, handle, __ATOMIC_RELEASE);
        }
    }
    const char* name = library->names + library->name_offsets[index];
    void* function = ::dlsym(handle, name);
    if (!function) {
        std::fprintf(stderr, "dconv: %s has no %s: %s\n", library->soname, name, ::dlerror());
        std::_Exit(1);
    }
    __atomic_store_n(&library->slots[index], function, __ATOMIC_RELEASE);
    return function;
}
