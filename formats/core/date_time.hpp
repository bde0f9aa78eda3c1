// date_time.hpp: the dates editions are stamped with (EPUB's dcterms:modified, PDF's
// CreationDate), computed without the C library's time zone.
#pragma once

#include <cstdint>
#include <string_view>

namespace dconv::date_time {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

// "YYYY-MM-DD..." (a Meta::date) as seconds at its midnight, UTC; -1 when it is not such
// a date.
std::int64_t date_seconds(std::string_view date);

}  // namespace dconv::date_time
