// converter.hpp: the work of a batch: each input read, cleaned and written in every
// format (or kept as a chapter of a bundle), its outputs handed to a background thread
// that commits them, and its outcome reported.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "batch/plan.hpp"
#include "batch/reporting.hpp"
#include "core/atomic_file.hpp"
#include "core/serial_worker.hpp"
#include "dconv/clean.hpp"

namespace dconv::batch {

// Inputs per worker whose outputs may wait, written, for their fsync and rename.
inline constexpr std::size_t kCommitBacklogPerJob = 4;

// What the summary and the exit status are made of, counted by every worker.
struct Tally {
    std::atomic<std::size_t> converted{0};
    std::atomic<std::size_t> skipped{0};
    std::atomic<std::size_t> left_out{0};  // a bundle's inputs with nothing to put in it
    std::atomic<std::size_t> warnings{0};
    std::atomic<bool> input_failed{false};
    std::atomic<bool> output_failed{false};
    std::atomic<bool> usage_failed{false};
    // Standard output's reader went away (EPIPE: `dconv -o - big.md | head`): exit 3 as
    // for any output that could not be written, but quietly, as cat and grep, which
    // SIGPIPE ends silently; no error line and no summary.
    std::atomic<bool> stdout_closed{false};
    // The selectors' warnings (kSelectorWarningPass: one matched nothing, or an input is
    // not HTML), by text, with the inputs (by index) each was given for; reported as one
    // line each at the end.
    std::mutex unmatched_mutex;
    std::map<std::string, std::vector<std::size_t>> unmatched_selectors;
};

// The lines that sum up Tally::unmatched_selectors, one per warning:
// "dconv: warning: --keep-selector '.recipe' matched nothing in 12 of 1000 inputs: a.html,
// b.html, c.html and 9 more". Empty when every selector matched on every page.
std::string unmatched_selector_summary(Tally& tally, const Plan& plan);

class Converter {
public:
    Converter(const BatchOptions& options, const Plan& plan, const BatchProfile* profile,
              std::ostream& out, Reporter& reporter, Tally& tally);

    // Converts input `index`; called from any worker. Never throws.
    void convert(std::size_t index);

    // Waits for the outputs still being committed, and their reports.
    void drain() { committer_.drain(); }

    // With a bundle, after every input was read: binds the chapters read into one book,
    // writes it in each format, and reports every input.
    void write_bundle();

private:
    // What became of one input.
    struct Outcome {
        explicit Outcome(bool keep_notes = false) : diag(keep_notes) {}
        Diagnostics diag;
        std::vector<Error> errors;
        std::vector<std::string> written;
        bool output_failed = false;
    };

    // One input's outputs waiting to be committed, with what to report once they are.
    struct Committal {
        const Input* in;
        Outcome outcome;
        std::vector<StagedFile> files;
    };

    bool bundle() const { return !plan_.bundle_outputs.empty(); }
    Document read(const Input& in, Diagnostics& diag) const;
    void skip(const Input& in, std::size_t index);
    // `left_out`: a bundle's input with nothing in it, counted apart (Tally::left_out).
    void finish(const Input& in, const Outcome& outcome, bool ok, bool count_done = true, bool left_out = false);
    void refuse_overwriting_inputs(std::size_t index) const;
    void write_output(const fs::path& path, const std::string& document);
    std::string report(const Input& in, bool ok, const std::vector<std::string>& written,
                       const std::vector<Error>& errors, const Diagnostics& diag) const;

    const BatchOptions& options_;
    const Plan& plan_;
    const BatchProfile* profile_;
    std::ostream& out_;
    Reporter& reporter_;
    Tally& tally_;
    std::mutex stdout_mutex_;
    // With a bundle: each input's document and outcome, by index, until the book is made.
    std::vector<std::optional<Document>> chapters_;
    std::vector<Outcome> pending_;
    // Commits outputs in the background. A backlog of a few inputs per worker is enough
    // to hide an fsync behind the next conversion, and bounds the open temporaries.
    SerialWorker committer_{kCommitBacklogPerJob * std::max(1u, options_.jobs)};
};

// The lines that recur across the batch's pages: their site's template. Pages are decoded
// on the pool, one at a time per thread, so memory stays bounded whatever the batch size;
// an input that fails here is reported when it is converted.
void build_profile(const Plan& plan, const BatchOptions& options, unsigned jobs,
                   BatchProfile& profile);

}  // namespace dconv::batch
