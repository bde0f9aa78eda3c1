// shared_library.hpp: a library loaded on first use (dlopen), for the few whose loading
// would cost every start of the command what only some inputs need: libcurl
// (fetch/curl_runtime.cpp) and libzip (epub/zip_archive.cpp).
#pragma once

#include <dlfcn.h>

namespace dconv::shared_library {

// `function` looked up by `name` in `library` (a dlopen handle); `ok` turns false, and
// stays false, when it is missing.
template <class F>
void bind(void* library, F& function, const char* name, bool& ok) {
    function = reinterpret_cast<F>(::dlsym(library, name));
    ok = ok && function != nullptr;
}

}  // namespace dconv::shared_library
