// native_writer.hpp: the model as JSON, for tests and debugging (--to native).
#pragma once

#include <string>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

namespace dconv {

// {"meta": {...}, "blocks": [{"type": "paragraph", "lines": [3, 5], "content": [...]}]}
// Stable key order, two-space indentation, UTF-8 unescaped.
std::string write_native(const Document& doc, const WriteOptions& options);

}  // namespace dconv
