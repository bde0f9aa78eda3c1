// lazy_library.hpp: a shared library the dconv command loads on its first call into it.
//
// Start-up (issue 16): HarfBuzz, libharu and tinyxml2 have no static archive on Debian,
// and linked normally they are loaded, with the dozen libraries they need (FreeType,
// GLib, libpng, libstdc++.so...), on every start, though only a PDF, an SVG image or a
// feed calls them. For these the command links stubs instead (cmake/lazy_library.cmake
// generates them): each of the library's functions is a jump through a slot that first
// is empty, so the stub goes to a binder; the first call into the library loads it
// (dlopen) and each function's first call fills its slot (dlsym), so later calls cost a
// load, a test and one indirect jump. The tables hold no pointers and the slots are
// zero-filled, so the loader relocates nothing of them at start-up. The library
// code is unchanged: it calls hb_shape() or HPDF_New() as before.
//
// A library that cannot be loaded ends the command with a message naming it (a stub
// cannot throw through its caller): `dconv: cannot load libhpdf-2.3.0.so: ...`.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// One library's stubs, defined by the generated file.
struct DconvLazyLibrary {
    const char* soname;                 // what dlopen() is given
    const char* names;                  // of its functions, each ended by a NUL
    const std::uint32_t* name_offsets;  // where slot i's name starts in `names`
    void** slots;                       // each function's address once bound; null before
    std::size_t count;
    void* handle;                       // dlopen()'s, once loaded
};

// Binds slot `index` of `library` (loading the library first if need be) and returns the
// function's address; exits with a message when the library or the function is missing.
void* dconv_lazy_bind(DconvLazyLibrary* library, std::size_t index) noexcept;
}
