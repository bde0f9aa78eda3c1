// native_writer.hpp: the model as JSON, for tests and debugging (--to native).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

namespace dconv {

// The version of the JSON's shape, its first key ("dconv-native": 1), as pandoc's JSON
// carries "pandoc-api-version": raised with every change to the shape (a key added,
// renamed or dropped, a block type or inline kind added, a value of another type), so
// that a consumer can refuse a dump it was not written for. The golden files in
// tests/golden/native show each change, and their first line the version.
inline constexpr int kNativeFormatVersion = 1;

// {"dconv-native": 1, "meta": {...},
//  "blocks": [{"type": "paragraph", "lines": [3, 5], "content": [...]}]}
// Stable key order, two-space indentation, UTF-8 unescaped, a final newline. Empty
// metadata fields and unknown source ranges are left out; a Text inline is a bare JSON
// string. The full schema is at the top of native_writer.cpp. Invalid UTF-8 in the
// model does not throw: it is written as U+FFFD.
std::string write_native(const Document& doc, const WriteOptions& options);

// The "meta" object of that JSON: the same keys, empty fields left out (also the meta of
// a --jsonl record).
nlohmann::ordered_json native_meta(const Meta& meta);

}  // namespace dconv
