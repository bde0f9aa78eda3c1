// committing.hpp: putting a batch's outputs in place: each written to a temporary and
// renamed (core/atomic_file.hpp), never over an input, and the temporaries a killed run
// left behind removed (only stale ones: another run may be writing the same outputs).
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "batch/plan.hpp"
#include "core/atomic_file.hpp"

namespace dconv::batch {

// A temporary whose writer is still running is never removed. Its pid is in its name;
// when that pid is alive but the temporary is older than this, the pid is taken to have
// been reused by another program after its writer died (a dconv output's temporary lives
// for the seconds it takes to write and sync one file).
inline constexpr std::chrono::hours kStaleTemporaryAge{24};

// Writes `document` to a temporary beside `path`, creating its folder; commit() puts it
// in place.
StagedFile stage_output(const fs::path& path, const std::string& document);

// Writes `document` to `path` at once (a temporary renamed over it), creating its folder.
void write_output_file(const fs::path& path, const std::string& document);

// Creates the folder `path` goes into; throws Error(io) when it cannot.
void create_parent(const fs::path& path);

// Why `folder` could not be created, for a message: "cannot create the folder: afile is a
// file, not a folder" when a part of its path is a file (`-o afile/`), else the system's
// reason.
std::string cannot_create_directory(const fs::path& folder, std::error_code ec);

// Refused before anything is read or written: an output that is the same file as an
// input (this one or another in the batch) would destroy it. `name` is the input's.
void refuse_overwriting_inputs(const Plan& plan, const std::vector<fs::path>& outputs,
                               const std::string& name = {});

// --skip-existing: every one of `outputs` is a non-empty file already (a link to one
// counts).
bool outputs_exist(const std::vector<fs::path>& outputs);

// Whether `entry` (a file name in an output's folder) is a temporary of one of `outputs`
// (file names in that folder) that no running process is writing: its writer's pid is
// gone, or it is older than kStaleTemporaryAge. `age` is how long ago it was modified.
bool stale_temporary_of(const std::string& entry, const std::set<std::string>& outputs,
                        std::chrono::seconds age);

// Removes the stale temporaries of the plan's outputs; returns how many.
std::size_t remove_stale_temporaries(const Plan& plan);

}  // namespace dconv::batch
