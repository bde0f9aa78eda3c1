// converter.cpp: one input read, written in every format and committed (converter.hpp).
#include "batch/converter.hpp"

#include <algorithm>
#include <memory>
#include <new>

#include "batch/committing.hpp"
#include "batch/input_reading.hpp"
#include "batch/thread_pool.hpp"
#include "core/selector_warnings.hpp"
#include "dconv/book.hpp"
#include "dconv/fetch.hpp"
#include "dconv/resources.hpp"

namespace dconv::batch {

namespace {

// The error of a write to standard output after its reader went away, reported by no line
// (Tally::stdout_closed).
constexpr const char* kStdoutClosed = "closed by its reader (broken pipe)";

bool is_stdout_closed(const Error& e) {
    return e.kind() == ErrorKind::io && e.file() == "standard output" && e.message() == kStdoutClosed;
}

}  // namespace


namespace {

// Runs `work`, turning whatever it throws into an Error for `name`.
template <class Work>
void guarded(const std::string& name, std::vector<Error>& errors, Work work) {
    try {
        work();
    } catch (const Error& e) {
        errors.push_back(e);
    } catch (const std::bad_alloc&) {
        errors.emplace_back(ErrorKind::limit, name, 0, "out of memory");
    } catch (const std::exception& e) {
        errors.emplace_back(ErrorKind::internal, name, 0, std::string("internal error: ") + e.what());
    } catch (...) {
        errors.emplace_back(ErrorKind::internal, name, 0, "internal error");
    }
}

// Markdown links its images: written to another folder than the input's, a copy of `doc`
// whose relative image paths reach the same files from `output`'s folder (the other
// formats embed them); nullopt when no path changes. `in`'s images were looked up in its
// folder, then under --resource-path.
std::optional<Document> rebased_for(const Document& doc, const Input& in, const ReadOptions& read,
                                    const fs::path& output) {
    if (doc.resources.empty()) return std::nullopt;
    std::vector<std::string> found_in;
    if (!in.from_stdin && !in.fetched_read) {
        std::string folder = fs::path(in.name).parent_path().string();
        found_in.push_back(!read.resources.base.empty() ? read.resources.base : folder.empty() ? "." : folder);
        found_in.insert(found_in.end(), read.resources.search_path.begin(), read.resources.search_path.end());
    }
    Document rebased = doc;
    if (!rebase_image_sources(rebased, output.parent_path(), found_in)) return std::nullopt;
    return rebased;
}

}  // namespace

Converter::Converter(const BatchOptions& options, const Plan& plan, const BatchProfile* profile,
          std::ostream& out, Reporter& reporter, Tally& tally)
    : options_(options), plan_(plan), profile_(profile), out_(out), reporter_(reporter),
      tally_(tally) {
    if (bundle()) {
        chapters_.resize(plan_.inputs.size());
        pending_.resize(plan_.inputs.size());
    }
}

void Converter::convert(std::size_t index) {
    const Input& in = plan_.inputs[index];
    Outcome outcome(options_.explain != Explain::none);  // notes only when shown
    std::vector<StagedFile> staged;  // this input's outputs, written, not yet in place
    bool skipped = false;
    guarded(in.name, outcome.errors, [&] {
        refuse_overwriting_inputs(index);  // before skipping: an input is no output
        if (options_.skip_existing && outputs_exist(plan_.outputs[index])) {
            skipped = true;
            return;
        }
        DeadlineScope deadline(options_.timeout_seconds, in.name, in.spent_seconds);  // one per input, fetch included
        Document doc = read(in, outcome.diag);
        if (bundle()) {
            chapters_[index] = std::move(doc);
            return;
        }
        apply_meta(doc.meta, options_.metadata);
        WriteOptions write = options_.write;
        write.diagnostics = &outcome.diag;
        write.source_given = !options_.metadata.source.empty();
        // Every format is made before any is written: an input that fails (a limit,
        // its deadline) leaves no output at all, not some of its formats.
        std::vector<std::string> documents;
        for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
            const std::string& format = plan_.writers[w]->name;
            std::optional<Document> rebased;
            if (format == "md" && plan_.mode != OutputMode::standard_output)
                rebased = rebased_for(doc, in, options_.read, plan_.outputs[index][w]);
            documents.push_back(write_document(rebased ? *rebased : doc, format, write));
        }
        doc = Document();  // freed before the files are written
        for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
            std::string document = std::move(documents[w]);
            try {
                if (plan_.mode == OutputMode::standard_output) {
                    write_output(fs::path(), document);
                    outcome.written.push_back("-");
                } else {
                    staged.push_back(stage_output(plan_.outputs[index][w], document));
                }
            } catch (const Error& e) {  // one format's output failed: try the others
                outcome.errors.push_back(e);
                outcome.output_failed = true;
            }
        }
    });
    if (bundle()) {  // reported once the book is written (or not)
        pending_[index] = std::move(outcome);
        reporter_.one_done();
        return;
    }
    if (skipped) {
        skip(in, index);
        return;
    }
    if (staged.empty()) {
        finish(in, outcome, outcome.errors.empty());
        return;
    }
    // The outputs are written but not in place: the committer fsyncs and renames them
    // (in order) while this thread goes on with the next input, then reports this one.
    auto job = std::make_shared<Committal>(Committal{&in, std::move(outcome), std::move(staged)});
    auto commit = [this, job] {
        for (StagedFile& file : job->files) {
            try {
                file.commit();
                job->outcome.written.push_back(file.path().string());
            } catch (const Error& e) {
                job->outcome.errors.push_back(e);
                job->outcome.output_failed = true;
            }
        }
        job->files.clear();
        finish(*job->in, job->outcome, job->outcome.errors.empty());
    };
    if (plan_.inputs.size() == 1) commit();
    else committer_.post(std::move(commit));
}

// With a bundle, after every input was read: binds the chapters read into one book,
// writes it in each format, and reports every input.
void Converter::write_bundle() {
    std::vector<Document> chapters;
    std::vector<const Input*> chapter_inputs;  // each chapter's input
    std::vector<bool> left_out(chapters_.size(), false);
    std::vector<std::string> chapter_names;  // each chapter's title when it has none
    // An input with nothing left (an empty file, a page the cleaner emptied) would be a
    // blank chapter, "Chapter 3" in the contents and a blank PDF page: it is left out,
    // with a warning, unless every input is so (the book is then as empty as they).
    const bool some_content = std::any_of(chapters_.begin(), chapters_.end(),
                                          [](const std::optional<Document>& c) { return c && !c->blocks.empty(); });
    for (std::size_t i = 0; i < chapters_.size(); ++i)
        if (chapters_[i]) {
            if (some_content && chapters_[i]->blocks.empty()) {
                pending_[i].diag.warn("book", "nothing left to put in the book: left out of it");
                left_out[i] = true;
                continue;
            }
            if (chapters_[i]->blocks.empty())  // the reader left this warning to the book
                pending_[i].diag.warn("book", "nothing left to put in the book, nor in any other input: the book is empty");
            // A chapter without a title of its own or a heading is named after its file
            // (its URL's name for a page), not "Chapter N": once the book is bound, so
            // that the name is the chapter's heading, not the book's title (a one-input
            // book is still "Collected articles", unless the user names it).
            std::string name;
            if (chapter_title(*chapters_[i], "").empty()) {
                const Input& in = plan_.inputs[i];
                name = !in.stem.empty() ? in.stem : in.path.stem().string();
            }
            chapter_names.push_back(std::move(name));
            chapters.push_back(std::move(*chapters_[i]));
            chapter_inputs.push_back(&plan_.inputs[i]);
        }
    chapters_.clear();
    std::vector<Error> book_errors;
    std::vector<std::string> written;
    bool output_failed = false;
    std::string book_name = plan_.output_display;
    if (!chapters.empty()) {
        guarded(book_name, book_errors, [&] {
            batch::refuse_overwriting_inputs(plan_, plan_.bundle_outputs);
            DeadlineScope deadline(options_.timeout_seconds, book_name);
            // a feed's articles: the book is the feed, unless the user named it
            Meta given = options_.metadata;
            if (given.title.empty()) given.title = plan_.feed_title;
            Book book = make_book(std::move(chapters), given);
            book.named_chapters.assign(book.chapters.size(), false);
            for (std::size_t c = 0; c < book.chapters.size() && c < chapter_names.size(); ++c)
                if (!chapter_names[c].empty()) {
                    book.chapters[c].meta.title = chapter_names[c];
                    book.named_chapters[c] = true;
                }
            WriteOptions write = options_.write;
            // The book's warnings are reported with its first input.
            for (Outcome& outcome : pending_)
                if (outcome.errors.empty()) {
                    write.diagnostics = &outcome.diag;
                    break;
                }
            std::vector<std::string> documents;  // all made before any is written
            for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
                const std::string& format = plan_.writers[w]->name;
                if (format == "md" && plan_.mode != OutputMode::standard_output) {  // as for one input
                    Book rebased = book;
                    bool changed = false;
                    for (std::size_t c = 0; c < rebased.chapters.size() && c < chapter_inputs.size(); ++c)
                        if (auto chapter = rebased_for(rebased.chapters[c], *chapter_inputs[c], options_.read,
                                                       plan_.bundle_outputs[w])) {
                            rebased.chapters[c] = std::move(*chapter);
                            changed = true;
                        }
                    if (changed) {
                        documents.push_back(write_book(rebased, format, write));
                        continue;
                    }
                }
                documents.push_back(write_book(book, format, write));
            }
            for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
                std::string document = std::move(documents[w]);
                try {
                    write_output(plan_.bundle_outputs[w], document);
                    written.push_back(plan_.mode == OutputMode::standard_output
                                          ? "-" : plan_.bundle_outputs[w].string());
                } catch (const Error& e) {
                    book_errors.push_back(e);
                    output_failed = true;
                }
            }
        });
    }
    bool book_ok = book_errors.empty() && !written.empty();
    for (std::size_t i = 0; i < plan_.inputs.size(); ++i) {
        Outcome& outcome = pending_[i];
        bool ok = outcome.errors.empty() && book_ok;
        if (outcome.errors.empty()) outcome.written = written;
        finish(plan_.inputs[i], outcome, ok, /*count_done=*/false, i < left_out.size() && left_out[i]);
    }
    std::string text;
    for (const Error& e : book_errors) {
        if (!is_stdout_closed(e)) text += error_line(book_name, e);
        if (e.kind() == ErrorKind::usage) tally_.usage_failed = true;
        else if (output_failed || e.kind() == ErrorKind::io) tally_.output_failed = true;
        else tally_.input_failed = true;
    }
    reporter_.message(text);
}

Document Converter::read(const Input& in, Diagnostics& diag) const {
    ReadOptions read = in.fetched_read ? *in.fetched_read : options_.read;
    read.source_name = in.name;
    read.batch = profile_;
    read.book_chapter = bundle();
    read.resources.warn_remote_not_fetched =
        std::any_of(plan_.writers.begin(), plan_.writers.end(),
                    [](const WriterEntry* w) { return w->images == ImageUse::shown; });
    for (const std::string& warning : in.fetch_warnings) diag.warn("fetch", warning);
    for (const std::string& note : in.fetch_notes) {
        Diagnostic d;
        d.pass = "fetch";
        d.action = "charset";
        d.reason = note;
        diag.note(std::move(d));
    }
    if (in.from_stdin) {
        if (plan_.stdin_failed) throw Error(ErrorKind::io, kStdinName, 0, plan_.stdin_error);
        return read_document(std::string_view(plan_.stdin_bytes), read, diag);
    }
    std::string bytes;
    try {
        bytes = read_input(in);
    } catch (const Error& e) {  // not found, not openable, not a regular file: say where it was listed
        if (in.listed_at.empty()) throw;
        throw Error(e.kind(), e.file(), e.line(), e.message() + in.listed_at);
    }
    Document doc = read_document(std::move(bytes), read, diag);  // the bytes go once decoded
    if (in.fetched_read) make_urls_absolute(doc, in.fetched_read->url);
    // a feed's article whose page has no title of its own is titled as its feed lists it
    if (doc.meta.title.empty()) doc.meta.title = in.feed_item_title;
    // and dated so (a bundle's date is its newest chapter's): the page's own date wins
    if (doc.meta.date.empty()) doc.meta.date = in.feed_item_date;
    return doc;
}

// Counts and reports an input skipped for its existing outputs: a line with --explain,
// an object with "skipped": true with --explain=json, otherwise only the summary.
void Converter::skip(const Input& in, std::size_t index) {
    ++tally_.skipped;
    if (options_.counters) ++options_.counters->written;  // "N of M written": its outputs are there
    std::vector<std::string> existing;
    for (const fs::path& path : plan_.outputs[index]) existing.push_back(path.string());
    if (options_.explain == Explain::json) {
        std::string line = explain_json(in.name, true, existing, {}, Diagnostics{});
        line.pop_back();  // the '}' and '\n' closing the object
        line.pop_back();
        reporter_.message(line + ",\"skipped\":true}\n");
    } else if (options_.explain == Explain::text) {
        reporter_.message(printable_name(in.name) + ": skipped: every output exists (" +
                          printable_name(join(existing, ", ")) + ")\n");
    }
    reporter_.one_done();
}

// Counts and reports one input.
void Converter::finish(const Input& in, const Outcome& outcome, bool ok, bool count_done, bool left_out) {
    tally_.warnings += outcome.diag.warnings();
    if (ok && left_out) {
        ++tally_.left_out;
    } else if (ok) {
        ++tally_.converted;
        if (options_.counters && !outcome.written.empty()) ++options_.counters->written;
    } else if (outcome.output_failed) {
        tally_.output_failed = true;
    }
    for (const Error& e : outcome.errors) {
        if (e.kind() == ErrorKind::usage) tally_.usage_failed = true;
        else if (!outcome.output_failed) tally_.input_failed = true;
    }
    reporter_.message(report(in, ok, outcome.written, outcome.errors, outcome.diag));
    if (count_done) reporter_.one_done();
}

// Refused before anything is read or written: an output that is the same file as an
// input (this one or another in the batch) would destroy it.
void Converter::refuse_overwriting_inputs(std::size_t index) const {
    if (plan_.mode == OutputMode::standard_output || bundle()) return;
    batch::refuse_overwriting_inputs(plan_, plan_.outputs[index], plan_.inputs[index].name);
}

// Writes to `path`, or to standard output when the plan says so.
void Converter::write_output(const fs::path& path, const std::string& document) {
    if (plan_.mode == OutputMode::standard_output) {
        std::lock_guard lock(stdout_mutex_);
        if (tally_.stdout_closed) throw Error(ErrorKind::io, "standard output", 0, kStdoutClosed);
        std::string reason;
        switch (write_to_stream(out_, document, reason)) {
            case StreamWrite::written: break;
            case StreamWrite::reader_gone:
                tally_.stdout_closed = true;
                throw Error(ErrorKind::io, "standard output", 0, kStdoutClosed);
            case StreamWrite::failed: throw Error(ErrorKind::io, "standard output", 0, reason);
        }
        return;
    }
    write_output_file(path, document);
}

std::string Converter::report(const Input& in, bool ok, const std::vector<std::string>& written,
                               const std::vector<Error>& errors, const Diagnostics& diag) const {
    if (options_.explain == Explain::json) return explain_json(in.name, ok, written, errors, diag);
    std::string text;
    // In a batch, a selector that matched nothing is said once at the end, not per page.
    const bool sum_up_selectors = options_.explain == Explain::none && !options_.quiet && plan_.inputs.size() > 1;
    for (const Diagnostic& d : diag.items()) {
        if (sum_up_selectors && d.severity == Severity::warning && d.pass == kSelectorWarningPass) {
            std::lock_guard lock(tally_.unmatched_mutex);
            tally_.unmatched_selectors[d.reason].push_back(static_cast<std::size_t>(&in - plan_.inputs.data()));
            continue;
        }
        if (options_.explain == Explain::text)
            text += explain_line(in.name, d);
        else if (d.severity == Severity::warning && !options_.quiet)
            text += warning_line(in.name, d);
    }
    for (const Error& e : errors)
        if (!is_stdout_closed(e)) text += error_line(in.name, e);
    return text;
}

std::string unmatched_selector_summary(Tally& tally, const Plan& plan) {
    std::lock_guard lock(tally.unmatched_mutex);
    std::string text;
    for (auto& [warning, inputs] : tally.unmatched_selectors) {
        std::sort(inputs.begin(), inputs.end());  // in the order given
        std::vector<std::string> names;
        for (std::size_t k = 0; k < inputs.size() && k < kSelectorWarningNamed; ++k)
            names.push_back(printable_name(plan.inputs[inputs[k]].name));
        text += selector_summary_line(warning, names, inputs.size(), plan.inputs.size(), "inputs", "");
    }
    return text;
}

// The lines that recur across the batch's pages: their site's template. Pages are decoded
// on the pool, one at a time per thread, so memory stays bounded whatever the batch size;
// an input that fails here is reported when it is converted.
void build_profile(const Plan& plan, const BatchOptions& options, unsigned jobs,
                   BatchProfile& profile) {
    std::mutex mutex;
    std::size_t count = std::min(plan.inputs.size(), kMaxProfiledInputs);
    parallel_for(count, jobs, [&](std::size_t i) {
        const Input& in = plan.inputs[i];
        try {
            std::string file_bytes;
            std::string_view bytes;
            if (in.from_stdin) {
                bytes = plan.stdin_bytes;
            } else {
                file_bytes = read_input(in);
                bytes = file_bytes;
            }
            if (bytes.size() > kMaxProfiledBytes) return;
            Diagnostics ignored;
            ReadOptions read = in.fetched_read ? *in.fetched_read : options.read;
            read.source_name = in.name;
            std::string text = template_text(bytes, read, ignored);
            std::lock_guard lock(mutex);
            profile.add_page(text);
        } catch (...) {
        }
    });
}

}  // namespace dconv::batch
