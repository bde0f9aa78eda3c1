// native_writer.hpp: the model as JSON, for tests and debugging (--to native).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

namespace dconv {

// {"meta": {...}, "blocks": [{"type": "paragraph", "lines": [3, 5], "content": [...]}]}
// Stable key order, two-space indentation, UTF-8 unescaped, a final newline. Empty
// metadata fields and unknown source ranges are left out; a Text inline is a bare JSON
// string. The full schema is at the top of native_writer.cpp. Invalid UTF-8 in the
// model does not throw: it is written as U+FFFD.
std::string write_native(const Document& doc, const WriteOptions& options);

// The "meta" object of that JSON: the same keys, empty fields left out (also the meta of
// a --jsonl record).
nlohmann::ordered_json native_meta(const Meta& meta);

}  // namespace dconv
