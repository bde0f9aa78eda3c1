// atomic_file.hpp: writing an output file so that readers of its name only ever see the
// old content or the whole new content, never a partial file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace dconv {

// Writes `data` to `path`, replacing any file of that name:
// 1. creates a temporary `.NAME.PID.XXXXXX` (mkstemp; PID is the writing process's) in
//    the same directory, so that the final rename stays within one file system and is
//    atomic;
// 2. writes everything, fsyncs and closes it;
// 3. gives it the mode of the file it replaces (or 0666 less the umask for a new file);
// 4. renames it over `path`.
// On any failure the temporary is removed, `path` is left as it was, and
// dconv::Error(io, path, 0, reason) is thrown. The parent directory must exist.
//
// A process killed between steps 1 and 4 can leave the hidden temporary behind, never a
// partial file under `path`. The directory itself is not fsynced: the guarantee is
// "never partial", not "durable across a power cut", and a directory fsync per file
// would double the cost of a large batch.
//
// A symbolic link is followed: the file it points to is replaced, the link stays. A
// device or pipe (/dev/null, a FIFO) is written to directly, since there is no file to
// replace and renaming over it would destroy it.
void write_file_atomic(const std::filesystem::path& path, std::string_view data);

// Writes `data` to a stream that stands for standard output and flushes it, so that a
// pipe's reader has it at once. The outcome: written; the reader closed the pipe (EPIPE:
// the CLI ignores SIGPIPE to see it, and says nothing, as cat and grep); or another
// failure, with the system's reason ("cannot write: No space left on device").
enum class StreamWrite { written, reader_gone, failed };
StreamWrite write_to_stream(std::ostream& out, std::string_view data, std::string& reason);

// write_file_atomic in two halves, so that a batch can overlap the slow one (fsync waits
// for the disk) with its next document: the constructor does steps 1 to 3 (the temporary
// is written and given its mode; nothing under `path` changes), commit() fsyncs, closes
// and renames it over `path`. Both throw dconv::Error(io, path, 0, reason). Destroyed
// without a successful commit(), it removes its temporary, so an abandoned output
// leaves nothing behind. A device or pipe is written to in the constructor; commit()
// then has nothing left to do.
class StagedFile {
public:
    StagedFile(const std::filesystem::path& path, std::string_view data);
    StagedFile(StagedFile&& other) noexcept;
    StagedFile& operator=(StagedFile&&) = delete;
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    ~StagedFile();

    void commit();
    // The name the file was asked for (before links are followed).
    const std::filesystem::path& path() const { return given_; }

private:
    std::filesystem::path given_;  // as asked for
    std::filesystem::path target_; // links followed: what the rename replaces
    std::string temp_;             // the temporary's name; empty once committed or written through
    int fd_ = -1;
};

// The temporary is ".NAME.PID.XXXXXX"; a NAME near NAME_MAX (255) would overflow it, so
// only this much of it is kept (the temporary's name matters only to a person cleaning up).
inline constexpr std::size_t kMaxTempStemBytes = 200;

// What a temporary's name says: the output it was for (NAME, perhaps cut to
// kMaxTempStemBytes) and the pid of the process writing it. Names of dconv before the pid
// was added (".NAME.XXXXXX") give pid 0.
struct TemporaryName {
    std::string stem;
    long pid = 0;
};

// The parts of `file_name` if it has the shape of a temporary made by StagedFile,
// nothing otherwise.
std::optional<TemporaryName> parse_temporary_name(std::string_view file_name);

}  // namespace dconv
