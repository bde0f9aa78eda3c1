// committing.cpp: outputs put in place, inputs never overwritten, stale temporaries
// removed (committing.hpp).
#include "batch/committing.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <map>

#include "dconv/diagnostics.hpp"

namespace dconv::batch {

namespace {

// Whether process `pid` exists (EPERM: it does, owned by someone else).
bool process_alive(long pid) {
    if (pid <= 0) return false;
    if (::kill(static_cast<pid_t>(pid), 0) == 0) return true;
    return errno == EPERM;
}

bool names_an_output(const std::string& stem, const std::set<std::string>& outputs) {
    if (outputs.contains(stem)) return true;
    if (stem.size() < kMaxTempStemBytes) return false;
    auto candidate = outputs.lower_bound(stem);  // a long name, cut: some output starts with it
    return candidate != outputs.end() && candidate->starts_with(stem);
}

}  // namespace

std::string cannot_create_directory(const fs::path& folder, std::error_code ec) {
    // the nearest part of the path that exists: a file there is why, said in words
    std::error_code ignored;
    fs::path at = folder.has_filename() ? folder : folder.parent_path();  // "afile/" is "afile"
    while (!at.empty()) {
        fs::file_status status = fs::status(at, ignored);
        if (fs::exists(status)) {
            if (fs::is_directory(status)) break;
            return "cannot create the folder: " + at.string() + " is a file, not a folder";
        }
        if (at == at.parent_path()) break;
        at = at.parent_path();
    }
    return "cannot create the folder: " + ec.message();
}

void create_parent(const fs::path& path) {
    fs::path parent = path.parent_path();
    if (parent.empty()) return;
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw Error(ErrorKind::io, parent.string(), 0, cannot_create_directory(parent, ec));
}

StagedFile stage_output(const fs::path& path, const std::string& document) {
    create_parent(path);
    return StagedFile(path, document);
}

void write_output_file(const fs::path& path, const std::string& document) {
    create_parent(path);
    write_file_atomic(path, document);
}

void refuse_overwriting_inputs(const Plan& plan, const std::vector<fs::path>& outputs,
                               const std::string& name) {
    if (plan.mode == OutputMode::standard_output) return;
    for (const fs::path& path : outputs) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) continue;
        auto hit = plan.input_ids.find({st.st_dev, st.st_ino});
        if (hit != plan.input_ids.end())
            throw Error(ErrorKind::input, name.empty() ? path.string() : name, 0,
                        "output " + path.string() + " is the same file as input " + hit->second +
                            "; not overwriting it (choose another output)");
    }
}

bool outputs_exist(const std::vector<fs::path>& outputs) {
    for (const fs::path& path : outputs) {
        struct stat st {};
        // An empty file is no output dconv wrote (every format writes something): a file
        // made by hand, or by a tool that failed.
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return false;
    }
    return true;
}

// A killed run can leave the hidden temporary of an output it was writing (atomic_file.hpp:
// ".NAME.PID.XXXXXX", NAME cut to kMaxTempStemBytes): before writing, the stale ones of
// this run's outputs are removed. Only names of outputs this run writes are touched, and
// never a temporary whose writer still runs: two runs writing the same outputs at the
// same time each leave the other's temporaries alone (the last rename wins, and both
// outputs are whole). A name without a pid (dconv before 0.1's pids) is stale by age only.
bool stale_temporary_of(const std::string& entry, const std::set<std::string>& outputs,
                        std::chrono::seconds age) {
    std::optional<TemporaryName> temporary = parse_temporary_name(entry);
    if (!temporary || !names_an_output(temporary->stem, outputs)) return false;
    if (age > kStaleTemporaryAge) return true;
    if (temporary->pid == 0 || temporary->pid == ::getpid()) return false;
    return !process_alive(temporary->pid);
}

std::size_t remove_stale_temporaries(const Plan& plan) {
    std::map<fs::path, std::set<std::string>> by_directory;
    for (const auto& per_input : plan.outputs)
        for (const fs::path& path : per_input) {
            fs::path dir = path.parent_path();
            by_directory[dir.empty() ? fs::path(".") : dir].insert(path.filename().string());
        }
    std::size_t removed = 0;
    std::time_t now = std::time(nullptr);
    for (const auto& [dir, names] : by_directory) {
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code entry_ec;
            if (!it->is_regular_file(entry_ec)) continue;
            struct stat st {};
            if (::stat(it->path().c_str(), &st) != 0) continue;  // gone meanwhile
            std::chrono::seconds age(now > st.st_mtime ? now - st.st_mtime : 0);
            if (!stale_temporary_of(it->path().filename().string(), names, age)) continue;
            if (plan.input_ids.contains({st.st_dev, st.st_ino}))
                continue;  // named like one, but given as an input: not ours to remove
            if (fs::remove(it->path(), entry_ec)) ++removed;
        }
    }
    return removed;
}

}  // namespace dconv::batch
