// plan.cpp: inputs listed, writers resolved, options checked and output paths chosen
// before anything is converted (plan.hpp).
#include "batch/plan.hpp"

#include "batch/reporting.hpp"

#include <sys/stat.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"
#include "dconv/fetch.hpp"
#include "dconv/styles.hpp"
#include "epub/epub_writer.hpp"
#include "pdf/print_style.hpp"

namespace dconv::batch {

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

namespace {

std::vector<std::string> writer_names() {
    std::vector<std::string> names;
    for (const auto& w : writers()) names.push_back(w.name);
    return names;
}

std::vector<std::string> reader_names() {
    std::vector<std::string> names;
    for (const auto& r : readers()) names.push_back(r.name);
    return names;
}

std::vector<const WriterEntry*> resolve_writers(const std::vector<std::string>& formats) {
    std::vector<const WriterEntry*> out;
    auto add = [&](const WriterEntry* w) {
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    };
    for (const auto& item : formats) {
        std::stringstream list(item);  // "md,txt" in one item too
        std::string name;
        while (std::getline(list, name, ',')) {
            name = std::string(text::trim(name));
            if (name.empty()) continue;
            if (text::lower_ascii(name) == "all") {
                for (const auto& w : writers()) add(&w);
            } else if (const WriterEntry* w = find_writer(name)) {
                add(w);
            } else {
                throw UsageError{"unknown output format '" + name + "' (available: " +
                                 join(writer_names(), ", ") + ", all; see --list-formats)"};
            }
        }
    }
    if (out.empty()) throw UsageError{"no output format given (--to)"};
    return out;
}

// The style, paper and cover are read once here, so that a bad one is a usage error
// before anything is converted rather than the same failure for every input. --style
// names a CSS theme for html and epub, a print style for pdf: each is checked only when
// its formats are written.
void check_write_options(const WriteOptions& write, const std::vector<const WriterEntry*>& formats) {
    auto writes = [&](std::string_view name) {
        return std::any_of(formats.begin(), formats.end(), [&](const WriterEntry* w) { return w->name == name; });
    };
    try {
        if (writes("html") || writes("epub")) load_style(write.style);
        if (writes("pdf")) pdf::print_style_for(write.style, write.paper);
        if (!write.cover_image.empty()) epub::read_cover(write.cover_image);
    } catch (const Error& e) {
        std::string where = e.file().empty() ? "" : e.file() + (e.line() ? ":" + std::to_string(e.line()) : "") + ": ";
        throw UsageError{where + e.message()};
    }
}

// A bundle's files: the bundle's name for one format, its stem with each format's ending
// for several.
void plan_bundle(Plan& plan, const BatchOptions& options) {
    if (!options.output.empty())
        throw UsageError{"--bundle FILE names the book's file: give it without -o"};
    if (options.bundle == "-") {
        if (plan.writers.size() > 1)
            throw UsageError{"--bundle - writes one book to standard output: give one format"};
        plan.mode = OutputMode::standard_output;
        plan.output_display = "standard output";
        plan.bundle_outputs.resize(1);
        return;
    }
    fs::path book = options.bundle;
    std::error_code ec;
    if (fs::is_directory(book, ec) || options.bundle.ends_with('/'))
        throw UsageError{"--bundle " + options.bundle + " is a directory; name the book's file"};
    plan.mode = OutputMode::bundle;
    plan.output_display = options.bundle;
    for (const WriterEntry* w : plan.writers) {
        fs::path path = book;
        if (plan.writers.size() > 1) path.replace_extension(w->extension);
        for (const fs::path& taken : plan.bundle_outputs)
            if (taken == path)
                throw UsageError{"two formats would both write " + path.string()};
        plan.bundle_outputs.push_back(path);
    }
    if (plan.writers.size() > 1) {
        plan.output_display.clear();
        for (const fs::path& p : plan.bundle_outputs)
            plan.output_display += (plan.output_display.empty() ? "" : ", ") + p.string();
    }
}

void check_read_options(const ReadOptions& read) {
    if (!read.format.empty() && !find_reader(read.format))
        throw UsageError{"unknown input format '" + read.format + "' (available: " +
                         join(reader_names(), ", ") + "; see --list-formats)"};
    if (!read.encoding.empty()) {
        UErrorCode status = U_ZERO_ERROR;
        UConverter* converter = ucnv_open(read.encoding.c_str(), &status);
        if (converter) ucnv_close(converter);
        if (U_FAILURE(status))
            throw UsageError{"unknown encoding '" + read.encoding +
                             "' (try UTF-8, GB18030, Big5, Shift_JIS, windows-1252)"};
    }
    try {
        check_selectors(read);
    } catch (const Error& e) {
        throw UsageError{e.message()};
    }
}

bool claimed_by_a_reader(const fs::path& file) {
    std::string ext = file.extension().string();
    if (ext.size() < 2) return false;
    ext = text::lower_ascii(std::string_view(ext).substr(1));
    for (const auto& r : readers())
        if (std::find(r.extensions.begin(), r.extensions.end(), ext) != r.extensions.end())
            return true;
    return false;
}

// Records an input file's identity; false (and a warning) when the same file was given
// already, under another name or through a link: it is converted once, so that a page
// given twice is not learned as its own site's template.
bool remember_identity(Plan& plan, const fs::path& path, const std::string& name) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return true;
    auto [where, fresh] = plan.input_ids.emplace(std::pair{st.st_dev, st.st_ino}, name);
    if (!fresh)
        plan.warnings.push_back(printable_name(name) + ": warning: the same file as " +
                                printable_name(where->second) + "; converted once");
    return fresh;
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec);
}

// Walks a directory for files some reader claims, sorted for a stable order. Hidden
// entries are skipped (editors' and dconv's own temporaries), and so is `skip` (the output
// directory, so that a second run does not convert the first run's output). A folder
// that cannot be read is reported by name ("Permission denied") and counts as a failed
// input; the rest of the walk goes on. Links are followed, but every folder is entered
// once (device and inode kept for each, as `find -L` does): a link to a folder already
// walked, or to one the root is inside of (`up -> ..`), is named in one warning and not
// entered. Followed, a loop would list the same files again at every level until the
// path grew too long for the system (some 40 levels), and links to siblings would
// multiply the paths (levels l_i/{x,y} -> ../l_{i+1}: 2^n walks). Folders reached
// without a link are walked before those reached through one, so that a folder's files
// keep their own path and the link is the one reported.
void walk_directory(Plan& plan, const fs::path& root, const std::string& given, const std::string& listed,
                    const fs::path& skip) {
    using FolderId = std::pair<dev_t, ino_t>;
    struct Seen {
        fs::path path;
        bool above_root = false;  // a folder the root is in, not walked
    };
    auto id_of = [](const fs::path& path) -> std::optional<FolderId> {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return std::nullopt;
        return FolderId{st.st_dev, st.st_ino};
    };
    std::map<FolderId, Seen> seen;
    std::error_code canonical_ec;
    for (fs::path at = fs::canonical(root, canonical_ec); !canonical_ec && at.has_relative_path();) {
        at = at.parent_path();
        if (auto id = id_of(at)) seen.emplace(*id, Seen{at, true});
    }
    std::vector<fs::path> files;
    std::deque<fs::path> plain = {root};  // folders reached without a link, walked first
    std::deque<fs::path> linked;          // folders reached through a link
    while (!plain.empty() || !linked.empty()) {
        std::deque<fs::path>& queue = plain.empty() ? linked : plain;
        const fs::path folder = std::move(queue.front());
        queue.pop_front();
        if (auto id = id_of(folder)) {
            auto [where, fresh] = seen.emplace(*id, Seen{folder, false});
            if (!fresh) {
                plan.warnings.push_back(printable_name(folder.string()) + ": warning: a link to " +
                                        printable_name(where->second.path.string()) +
                                        (where->second.above_root ? ", a folder the input is in (a loop)"
                                                                  : ", a folder walked already") +
                                        "; not followed");
                continue;
            }
        }
        std::error_code ec;
        fs::directory_iterator it(folder, ec);
        if (ec) {
            if (folder == root) plan.missing.emplace_back(given, ec.message() + listed);
            else plan.missing.emplace_back(folder.string(), ec.message());
            continue;
        }
        std::vector<std::pair<fs::path, bool>> subfolders;  // path, reached through a link
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            const fs::directory_entry& entry = *it;
            if (entry.path().filename().string().starts_with('.')) continue;
            std::error_code entry_ec;
            if (entry.is_directory(entry_ec)) {
                if (skip.empty() || !same_file(entry.path(), skip))
                    subfolders.emplace_back(entry.path(), entry.is_symlink(entry_ec));
                continue;
            }
            if (entry.is_regular_file(entry_ec) && claimed_by_a_reader(entry.path()))
                files.push_back(entry.path());
        }
        if (ec) plan.missing.emplace_back(folder.string(), ec.message());
        std::sort(subfolders.begin(), subfolders.end());
        for (auto& [path, through_link] : subfolders) (through_link ? linked : plain).push_back(std::move(path));
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        Input in;
        in.path = file;
        in.name = file.string();
        in.relative_dir = file.lexically_relative(root).parent_path();
        if (remember_identity(plan, file, in.name)) plan.inputs.push_back(std::move(in));
    }
}

std::string list_extensions() {
    std::vector<std::string> exts;
    for (const auto& r : readers())
        for (const auto& e : r.extensions) exts.push_back("." + e);
    return join(exts, " ");
}

// The writer a file name asks for by its ending ("x.pdf": pdf, "notes.markdown": md),
// or nullptr: no ending, or one no writer claims.
const WriterEntry* writer_for_name(const std::string& name) {
    std::string ext = fs::path(name).extension().string();
    if (ext.size() < 2) return nullptr;
    ext = text::lower_ascii(std::string_view(ext).substr(1));
    for (const auto& w : writers())
        if (w.extension == ext) return &w;
    return find_writer(ext);
}

// The usage error for -o naming one file (its ending is a format's: "two.pdf") when the
// inputs and formats make several outputs. Taking it as a folder, as a name without such
// an ending is, would leave a folder "two.pdf/" the user never meant.
std::string one_file_for_many(const std::string& out, std::size_t inputs, std::size_t formats,
                              bool directory_input) {
    std::string head = "-o " + out + " names one file, but ";
    if (inputs > 1 || directory_input) {
        head += directory_input ? std::string("a folder of inputs was given") : std::to_string(inputs) + " inputs were given";
        return head + ": use --bundle " + out + " to bind them into one book (a chapter each), or -o DIR/ "
               "(a folder, ending in '/') for one output each";
    }
    return head + std::to_string(formats) + " formats were asked for (--to): give one format, or -o DIR/ "
           "(a folder, ending in '/') for one file each";
}

// The output file named by -o or --bundle, when it is one file (not a directory, not
// standard output); empty otherwise.
std::string named_output_file(const BatchOptions& options) {
    const std::string& name = options.bundle.empty() ? options.output : options.bundle;
    if (name.empty() || name == "-" || name.ends_with('/')) return {};
    std::error_code ec;
    if (fs::is_directory(name, ec)) return {};
    return name;
}

// --to, or the format the output file's name asks for, or md. A --to naming one format
// whose ending contradicts the file's is refused (the file would lie about its format),
// unless --force-extension.
std::vector<const WriterEntry*> choose_writers(const BatchOptions& options, std::vector<std::string>& warnings) {
    std::string file = named_output_file(options);
    const WriterEntry* by_name = file.empty() ? nullptr : writer_for_name(file);
    if (options.formats.empty()) {
        if (by_name) return {by_name};
        // an ending no writer claims ("x.docx"): Markdown, as without one, but said
        if (std::string ext = fs::path(file).extension().string(); ext.size() >= 2)
            warnings.push_back(printable_name(file) + ": warning: no format writes ." + ext.substr(1) +
                               " files: writing Markdown (--to chooses the format; --list-formats lists them)");
        return resolve_writers({"md"});
    }
    std::vector<const WriterEntry*> chosen = resolve_writers(options.formats);
    if (by_name && chosen.size() == 1 && chosen.front() != by_name &&
        chosen.front()->extension != by_name->extension && !options.force_extension) {
        std::string option = options.bundle.empty() ? "-o " : "--bundle ";
        throw UsageError{option + file + " names a ." + fs::path(file).extension().string().substr(1) +
                         " file, but --to " + chosen.front()->name + " writes ." + chosen.front()->extension +
                         ": drop --to (the ending chooses the format), change the name, or add "
                         "--force-extension"};
    }
    return chosen;
}

// Fetches the URL inputs and feeds that `plan.inputs` holds as placeholders (`sources[k]`
// at the input whose fetched_read is unset and whose name is "\0k"), putting in each
// one's place the pages it gave; failures go to plan.fetch_failures.
void fetch_web_inputs(Plan& plan, const std::vector<WebSource>& sources, const std::vector<std::size_t>& at,
                      const BatchOptions& options, std::ostream& err) {
    WebInputOptions web;
    web.fetch = options.fetch;
    web.fetch.input_timeout_seconds = options.timeout_seconds;  // a fetch ends by its input's deadline too
    web.read = options.read;
    web.max_articles = options.max_articles;
    web.jobs = options.jobs ? options.jobs : 1;
    web.progress = options.progress && options.explain != Explain::json;
    web.load_images = std::any_of(plan.writers.begin(), plan.writers.end(),
                                  [](const WriterEntry* w) { return w->images != ImageUse::none; });
    web.fetch_images = options.images;
    try {
        plan.web = std::make_unique<WebInputs>(web, err);
    } catch (const Error& e) {
        throw UsageError{e.file() + ": " + e.message()};
    }
    std::vector<FetchedSource> fetched = plan.web->fetch_all(sources);
    if (plan.inputs.size() == 1 && fetched.size() == 1) plan.feed_title = fetched.front().feed_title;
    std::vector<Input> inputs;
    std::size_t next_source = 0;
    // Pages by final URL: two inputs that end at one page (one redirects to the other, a
    // feed lists a page also given) are converted once, as a URL given twice is.
    std::unordered_map<std::string, std::string> page_at;
    for (std::size_t i = 0; i < plan.inputs.size(); ++i) {
        if (next_source >= at.size() || at[next_source] != i) {
            inputs.push_back(std::move(plan.inputs[i]));
            continue;
        }
        FetchedSource& source = fetched[next_source++];
        for (const std::string& w : source.feed_warnings)
            plan.warnings.push_back(printable_name(plan.inputs[i].name) + ": warning: " + w);
        for (FetchedPage& page : source.pages) {
            // (a feed's entry read from its content has the feed's URL: only pages
            // fetched are compared)
            auto [first, added] = !page.from_feed_content && !page.read.url.empty()
                                      ? page_at.emplace(url_identity(page.read.url), page.name)
                                      : std::pair{page_at.end(), true};
            if (!added) {
                // a feed's article is named by its URL: the feed it came from says where
                const bool from_feed = page.name != plan.inputs[i].name;
                plan.warnings.push_back(printable_name(page.name) + ": warning: " +
                                        (from_feed ? "listed in the feed " + printable_name(plan.inputs[i].name) + ", "
                                                   : std::string()) +
                                        (page.read.url == page.name ? std::string("the same page as ")
                                                                    : "redirected to " + page.read.url + ", the same page as ") +
                                        printable_name(first->second) + "; converted once");
                continue;
            }
            Input in;
            in.name = page.name;
            in.path = page.path;
            in.fetched_read = std::move(page.read);
            in.stem = std::move(page.stem);
            in.feed_item_title = std::move(page.feed_item_title);
            in.feed_item_date = std::move(page.feed_item_date);
            in.fetch_warnings = std::move(page.warnings);
            in.fetch_notes = std::move(page.notes);
            in.spent_seconds = page.spent_seconds;
            inputs.push_back(std::move(in));
        }
        for (FailedFetch& failure : source.failures) {
            if (const std::string& listed = plan.inputs[i].listed_at; !listed.empty())
                failure.error = Error(failure.error.kind(), failure.error.file(), failure.error.line(),
                                      failure.error.message() + listed);
            plan.fetch_failures.push_back(std::move(failure));
        }
    }
    plan.inputs = std::move(inputs);
}

// Whether -o `out` names one file: not a folder (existing, or ending in '/'), and ending
// as a format's file does ("two.pdf"; a name without such an ending is a folder to make).
bool names_one_file(const std::string& out) {
    std::error_code ec;
    return !out.ends_with('/') && writer_for_name(out) && !fs::is_directory(out, ec);
}

const char* const kOneToStandardOutput =
    "-o - writes one document to standard output: give one input and one format, or -o DIR";

// The entries of every --input-file, in order.
// An input as given, with where it was listed ("pages.txt:4"; empty: on the command line).
struct GivenInput {
    std::string text;
    std::string listed_at;
};

// The inputs on the command line, then those of each --input-file, whose lines are also
// kept with each entry.
std::vector<GivenInput> listed_inputs(const BatchOptions& options) {
    std::vector<GivenInput> given;
    for (const std::string& input : options.inputs) given.push_back({input, {}});
    for (const std::string& file : options.input_files) {
        try {
            std::vector<ListedInput> listed = read_input_list(file);
            if (listed.empty()) throw UsageError{"--input-file " + file + " lists no inputs"};
            for (ListedInput& item : listed) {
                std::string where = file + ":" + std::to_string(item.line);
                given.push_back({std::move(item.entry), std::move(where)});
            }
        } catch (const Error& e) {
            throw UsageError{(e.line() ? e.file() + ":" + std::to_string(e.line()) : e.file()) + ": " + e.message()};
        }
    }
    if (given.size() > fetch::kMaxInputFileLines)
        throw UsageError{"more than " + std::to_string(fetch::kMaxInputFileLines) + " inputs"};
    return given;
}

// The first of "stem", "stem-2", "stem-3"... whose outputs (one per writer) are all free.
std::string unique_stem(const Plan& plan, const std::string& stem, const std::map<std::string, std::size_t>& taken) {
    for (std::size_t n = 1;; ++n) {
        std::string candidate = n == 1 ? stem : stem + "-" + std::to_string(n);
        bool free = true;
        for (const WriterEntry* w : plan.writers)
            free &= !taken.contains((plan.output / (candidate + "." + w->extension)).lexically_normal().string());
        if (free) return candidate;
    }
}

// "ftp" for "ftp://example.org/a.html": the scheme of what reads as a URL (RFC 3986's
// scheme, then "://"); empty for anything else. Asked only of an input no file is named
// after, so that its message says what dconv fetches rather than "No such file".
std::string url_scheme(std::string_view given) {
    std::size_t colon = given.find("://");
    if (colon == 0 || colon == std::string_view::npos) return {};
    std::string_view scheme = given.substr(0, colon);
    if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
    for (char c : scheme)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
    return std::string(scheme);
}

}  // namespace

std::string listed_at(const std::string& where) {
    return where.empty() ? std::string() : " (listed at " + printable_name(where) + ")";
}

Plan make_plan(const BatchOptions& options, std::ostream& err) {
    Plan plan;
    plan.writers = choose_writers(options, plan.warnings);
    check_read_options(options.read);
    check_write_options(options.write, plan.writers);
    if (options.inputs.empty() && options.input_files.empty())
        throw UsageError{"no inputs (give files, directories, URLs, or - for standard input; see --help)"};
    const std::vector<GivenInput> given_inputs = listed_inputs(options);

    // Where a directory output would go, to keep it out of directory walks.
    fs::path skip;
    if (options.output != "-") {
        std::error_code ec;
        skip = fs::weakly_canonical(options.output.empty() ? fs::path(kDefaultOutputDirectory)
                                                           : fs::path(options.output), ec);
        if (ec) skip.clear();
    }

    bool stdin_seen = false, directory_input = false;
    std::size_t empty_directories = 0;
    std::string an_empty_directory;
    std::vector<WebSource> web_sources;  // URLs and feed files, fetched once all are listed
    std::vector<std::size_t> web_at;     // where each one's placeholder is in plan.inputs
    std::unordered_set<std::string> urls_given;  // a URL given twice is fetched once, as a file is read once
    for (const auto& [given, given_listed_at] : given_inputs) {
        const std::string listed = listed_at(given_listed_at);
        if (is_web_url(given)) {
            if (!urls_given.insert(url_identity(given)).second) {
                plan.warnings.push_back(printable_name(given) + ": warning: given more than once; converted once");
                continue;
            }
            web_sources.push_back({given, {}});
            web_at.push_back(plan.inputs.size());
            plan.inputs.push_back(Input{given, {}, {}, false, {}, {}, {}, listed});
            continue;
        }
        if (given == "-") {
            if (stdin_seen)
                throw UsageError{"standard input (-) given more than once" +
                                 (given_listed_at.empty() ? "" : " (again at " + given_listed_at + ")")};
            stdin_seen = true;
            Input in;
            in.name = kStdinName;
            in.from_stdin = true;
            plan.inputs.push_back(std::move(in));
            continue;
        }
        if (given.empty()) throw UsageError{"an empty input name"};
        std::error_code ec;
        fs::file_status status = fs::status(given, ec);
        if (ec || !fs::exists(status)) {
            if (std::string scheme = url_scheme(given); !scheme.empty())
                plan.missing.emplace_back(given, "unsupported URL scheme '" + scheme +
                                                     "': dconv fetches http and https URLs (and no file has this name)" +
                                                     listed);
            else
                plan.missing.emplace_back(given, (ec ? ec.message() : std::string(std::strerror(ENOENT))) + listed);
        } else if (fs::is_directory(status)) {
            directory_input = true;
            std::size_t before = plan.inputs.size();
            walk_directory(plan, given, given, listed, skip);
            if (plan.inputs.size() == before) {
                ++empty_directories;
                an_empty_directory = given;
            }
        } else if (is_feed_file(given)) {
            web_sources.push_back({given, given});
            web_at.push_back(plan.inputs.size());
            plan.inputs.push_back(Input{given, {}, {}, false, {}, {}, {}, listed});
        } else {
            Input in;
            in.path = given;
            in.name = given;
            in.listed_at = listed;
            if (remember_identity(plan, in.path, in.name)) plan.inputs.push_back(std::move(in));
        }
    }
    // One -o file, or standard output, for several entries: refused before any URL is
    // fetched (each entry gives one input or more; a feed, many)
    if (!web_sources.empty() && options.bundle.empty()) {
        std::size_t entries = plan.inputs.size() + plan.missing.size();
        bool many = entries * plan.writers.size() > 1 || directory_input;
        if (options.output == "-" && many) throw UsageError{kOneToStandardOutput};
        if (!options.output.empty() && options.output != "-" && many && names_one_file(options.output))
            throw UsageError{one_file_for_many(options.output, entries, plan.writers.size(), directory_input)};
    }
    if (!web_sources.empty()) fetch_web_inputs(plan, web_sources, web_at, options, err);
    if (plan.inputs.empty() && plan.missing.empty() && plan.fetch_failures.empty())
        throw UsageError{"no input files found in " + an_empty_directory + " (looking for " +
                         list_extensions() + ")"};

    if (!options.bundle.empty()) {
        if (options.skip_existing)
            throw UsageError{"--skip-existing resumes a batch of one output per input and format: "
                             "not with --bundle"};
        plan_bundle(plan, options);
        plan.outputs.resize(plan.inputs.size());
        return plan;
    }

    // Where the outputs go.
    std::size_t given_count = plan.inputs.size() + plan.missing.size() + plan.fetch_failures.size();
    std::size_t outputs = given_count * plan.writers.size();
    if (options.output == "-" || (options.output.empty() && stdin_seen && given_count == 1)) {
        if (outputs > 1)
            throw UsageError{kOneToStandardOutput};
        if (options.skip_existing)
            throw UsageError{"--skip-existing skips inputs whose output files exist: not with -o -"};
        plan.mode = OutputMode::standard_output;
        plan.output_display = "standard output";
    } else {
        std::string out = options.output.empty() ? kDefaultOutputDirectory : options.output;
        std::error_code ec;
        bool exists = fs::exists(out, ec);
        bool is_dir = fs::is_directory(out, ec);
        if ((outputs > 1 || directory_input) && names_one_file(out))
            throw UsageError{one_file_for_many(out, given_count, plan.writers.size(), directory_input)};
        if (is_dir || out.ends_with('/') || outputs > 1 || directory_input) {
            if (exists && !is_dir)
                throw UsageError{"-o " + out + " is not a directory, but " + std::to_string(outputs) +
                                 " outputs need one"};
            plan.mode = OutputMode::directory;
            plan.output_display = out.ends_with('/') ? out : out + "/";
        } else {
            plan.mode = OutputMode::file;
            plan.output_display = out;
        }
        plan.output = out;
    }

    // Output paths; two inputs writing one path is an error before anything is converted.
    // Fetched pages come second: named after their titles, they take "-2", "-3"... to
    // stay clear of the files' outputs and of each other, in input order.
    std::map<std::string, std::size_t> taken;
    plan.outputs.resize(plan.inputs.size());
    std::vector<std::size_t> order;
    for (int fetched = 0; fetched < 2; ++fetched)
        for (std::size_t i = 0; i < plan.inputs.size(); ++i)
            if (plan.inputs[i].fetched_read.has_value() == (fetched == 1)) order.push_back(i);
    for (std::size_t i : order) {
        const Input& in = plan.inputs[i];
        std::string stem = in.from_stdin ? kStdinStem : in.path.stem().string();
        if (in.fetched_read && plan.mode == OutputMode::directory) stem = unique_stem(plan, in.stem, taken);
        for (const WriterEntry* w : plan.writers) {
            fs::path path;
            if (plan.mode == OutputMode::file) {
                path = plan.output;
            } else if (plan.mode == OutputMode::directory) {
                path = plan.output / in.relative_dir / (stem + "." + w->extension);
            }
            if (plan.mode != OutputMode::standard_output) {
                std::string key = path.lexically_normal().string();
                auto [where, fresh] = taken.emplace(key, i);
                if (!fresh)
                    throw UsageError{plan.inputs[where->second].name + " and " + in.name +
                                     " would both be written to " + path.string() +
                                     "; rename one, or convert them separately"};
            }
            plan.outputs[i].push_back(std::move(path));
        }
    }
    return plan;
}

}  // namespace dconv::batch
