// date_time.cpp: edition dates (date_time.hpp).
#include "core/date_time.hpp"

namespace dconv::date_time {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t date_seconds(std::string_view date) {
    if (date.size() < 10 || date[4] != '-' || date[7] != '-') return -1;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int k = 0; k < 3; ++k)
        for (std::size_t i = starts[k]; i < starts[k] + lengths[k]; ++i) {
            if (date[i] < '0' || date[i] > '9') return -1;
            parts[k] = parts[k] * 10 + (date[i] - '0');
        }
    if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) return -1;
    return days_from_civil(parts[0], static_cast<unsigned>(parts[1]), static_cast<unsigned>(parts[2])) * 86400;
}

}  // namespace dconv::date_time
