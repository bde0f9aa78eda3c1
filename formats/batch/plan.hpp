// plan.hpp: the first step of a batch (batch.cpp's run_batch): which inputs, which
// writers, where each output goes. Everything that can be wrong with the command itself
// is found here, before anything is read or written.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "batch/web_inputs.hpp"
#include "dconv/batch.hpp"
#include "dconv/registry.hpp"

namespace dconv::batch {

namespace fs = std::filesystem;

inline const char* const kDefaultOutputDirectory = "out/";
inline const char* const kStdinName = "<stdin>";
inline const char* const kStdinStem = "stdin";

// A problem with the command itself: reported as "dconv: MESSAGE", exit status 2.
struct UsageError {
    std::string message;
};

struct Input {
    std::string name;       // for messages: as given, the walked path, or "<stdin>"
    fs::path path;          // empty for standard input
    fs::path relative_dir;  // for files found in a directory: their folder below it
    bool from_stdin = false;
    // A page fetched from the web (web_inputs.hpp): `path` is its body in the scratch
    // folder; it is read with these options (reader, charset, URL) and its outputs are
    // named `stem`; the warnings of its fetching are reported with it.
    std::optional<ReadOptions> fetched_read;
    std::string stem;
    std::vector<std::string> fetch_warnings;
    // Where this entry was listed: " (listed at pages.txt:4)" for an --input-file line,
    // "" on the command line or found in a folder (listed_at()).
    std::string listed_at;
    // A feed's article: the title its feed gives it, the document's when the page has none
    std::string feed_item_title;
    // ... and the date it gives it (YYYY-MM-DD), the document's when the page has none
    std::string feed_item_date;
    std::vector<std::string> fetch_notes;  // the notes of its fetching, for --explain
    // The seconds of its --timeout its fetch took at planning (FetchedPage::spent_seconds):
    // its conversion gets the rest, the wait between not counted.
    double spent_seconds = 0;
};

enum class OutputMode { standard_output, directory, file, bundle };

struct Plan {
    std::vector<const WriterEntry*> writers;
    std::vector<Input> inputs;
    // Inputs that could not even be listed (name, why); each counts as a failed input.
    std::vector<std::pair<std::string, std::string>> missing;
    // Said before converting, unless --quiet: "b.txt: warning: the same file as a.txt...".
    std::vector<std::string> warnings;
    OutputMode mode = OutputMode::directory;
    fs::path output;             // the directory or the file
    std::string output_display;  // as the summary names it
    std::vector<std::vector<fs::path>> outputs;  // [input][writer]; empty for a bundle
    std::vector<fs::path> bundle_outputs;        // [writer]: the book's files
    // Every input file by identity, so that no output is ever written over one.
    std::map<std::pair<dev_t, ino_t>, std::string> input_ids;
    std::string stdin_bytes;
    bool stdin_failed = false;
    std::string stdin_error;
    // URL inputs and feeds: what fetched them (kept for the pages' images, and for the
    // scratch folder their bodies wait in), and those that could not be fetched, each a
    // failed input.
    std::unique_ptr<WebInputs> web;
    std::vector<FailedFetch> fetch_failures;
    // The input is one feed: its own title, the book's when the user gives none.
    std::string feed_title;
};

// " (listed at pages.txt:4)" for an entry of an --input-file (`where`, "pages.txt:4"), ""
// for one on the command line (`where` empty): appended to the message that the input
// cannot be found, opened or fetched, so that the user can find the line to fix. Each
// entry its own: a name given twice is two entries.
std::string listed_at(const std::string& where);

// The plan for `options`; throws UsageError. URL inputs and feeds are fetched here (a
// progress line on `err` when options.progress), since a feed's articles are inputs
// and a page's title names its outputs.
Plan make_plan(const BatchOptions& options, std::ostream& err);

// "a, b, c" from {"a", "b", "c"} and ", ".
std::string join(const std::vector<std::string>& items, const char* separator);

}  // namespace dconv::batch
