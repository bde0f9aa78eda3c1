// breaking.cpp: Knuth-Plass total fit, after tex.web's line_break.
#include "pdf/breaking.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace dconv::pdf {

namespace {

using Kind = BreakItem::Kind;

// A line of this many items is treated as too long whatever its width: items of zero
// width (marks, characters a font draws as nothing) would otherwise never fill a line,
// every break would stay active and the time would grow with the square of the length.
// A real line holds a few hundred items at most.
constexpr std::size_t max_line_items = 20000;

// TeX's fitness classes; lines of classes more than one apart in a row cost
// adjacent_fitness_demerits (a tight line after a very loose one looks worse than two
// medium ones).
enum Fitness : std::uint8_t { very_loose, loose, decent, tight, fitness_classes };

// Badness at which TeX's classes change: 100 r³ at r = 1 and r = 1/2.
constexpr double loose_badness = 99, decent_badness = 12;

constexpr double no_demerits = std::numeric_limits<double>::infinity();

struct Totals {
    double width = 0, stretch = 0, shrink = 0;
    void add_glue(const BreakItem& glue) {
        width += glue.width;
        stretch += glue.stretch;
        shrink += glue.shrink;
    }
};

// A break a line may still start from: what the inner loop reads, kept together and in
// the order the breaks were found (that is, by position).
struct Active {
    Totals after;  // totals of the items before `start`
    double demerits = 0;
    std::uint32_t start = 0;  // the first item of the line after the break
    std::uint32_t trail = 0;  // the break in Breaker::trail_
    std::uint32_t line = 0;   // lines before the next one
    Fitness fitness = decent;
    bool flagged = false;
};

// A break found, for the way back once the paragraph's end is reached (32 bits: a
// paragraph has far fewer items than that).
struct Trail {
    std::uint32_t position = 0;
    std::int32_t previous = -1;
};

double badness(double shortfall, double stretch) {
    if (stretch <= 0) return infinite_badness;
    double ratio = shortfall / stretch;
    return std::min<double>(100 * ratio * ratio * ratio, infinite_badness);
}

class Breaker {
public:
    Breaker(std::span<const BreakItem> items, const BreakParameters& parameters)
        : items_(items), parameters_(parameters) {}

    std::vector<std::size_t> run() {
        if (items_.empty()) return {};
        // About one break for every two items is found when most are feasible (memory
        // only touched as it is used).
        trail_.reserve(items_.size() / 2 + 16);
        trail_.push_back(Trail{});
        active_.push_back(Active{});
        for (std::size_t i = 0; i < items_.size(); ++i) {
            const BreakItem& item = items_[i];
            switch (item.kind) {
                case Kind::box:
                    total_.width += item.width;
                    break;
                case Kind::glue:
                    if (i > 0 && items_[i - 1].kind == Kind::box) legal_break(i);
                    total_.add_glue(item);
                    break;
                case Kind::penalty:
                    if (item.penalty < infinite_penalty) legal_break(i);
                    break;
            }
            if (active_.size() == first_) return {};
        }
        // The last item is a forced break: every active break is one at its position.
        auto best = std::min_element(active_.begin() + std::ptrdiff_t(first_), active_.end(),
                                     [](const Active& a, const Active& b) {
            return a.demerits < b.demerits;
        });
        std::vector<std::size_t> breaks;
        for (std::int32_t at = std::int32_t(best->trail); at > 0; at = trail_[at].previous)
            breaks.push_back(trail_[at].position);
        std::reverse(breaks.begin(), breaks.end());
        return breaks;
    }

private:
    void legal_break(std::size_t position) {
        try_break(position);
        previous_ = {true, position, total_, items_[position].kind == Kind::penalty && items_[position].flagged};
    }

    // Keeps active_[k] as the next break of the list.
    void keep(std::size_t& kept, std::size_t k) {
        if (kept != k) active_[kept] = active_[k];
        ++kept;
    }
    // Drops active_[k]: from the front if nothing before it stays.
    static void drop(std::size_t& head, std::size_t& kept, std::size_t k) {
        if (kept == head) head = kept = k + 1;
    }

    struct Candidate {
        double demerits = no_demerits;
        std::size_t from = 0;  // index in active_
        bool found = false;
    };

    void try_break(std::size_t position) {
        const BreakItem& item = items_[position];
        bool is_penalty = item.kind == Kind::penalty;
        double penalty = is_penalty ? item.penalty : 0;
        double penalty_width = is_penalty ? item.width : 0;
        bool flagged = is_penalty && item.flagged;
        bool forced = is_penalty && penalty <= -infinite_penalty;
        double width = total_.width + penalty_width;
        double threshold = parameters_.tolerance;

        // Breaks are dropped from the front of the list (the oldest make the longest
        // lines): they are skipped over by first_, and the list is compacted now and then.
        if (first_ > 64 && first_ * 2 > active_.size()) {
            active_.erase(active_.begin(), active_.begin() + std::ptrdiff_t(first_));
            first_ = 0;
        }
        std::array<Candidate, fitness_classes> best;
        double least = no_demerits;
        std::size_t head = first_, kept = first_, count = active_.size(), k = first_;
        for (; k < count; ++k) {
            const Active& from = active_[k];
            double natural = width - from.after.width;
            double measure = from.line == 0 ? parameters_.first_width : parameters_.width;
            double bad = 0;
            Fitness fitness = decent;
            bool overfull = position - from.start > max_line_items;
            if (overfull) {
                fitness = tight;
            } else if (natural < measure) {
                if (!forced) {
                    double stretch = total_.stretch - from.after.stretch + parameters_.background_stretch;
                    bad = badness(measure - natural, stretch);
                    if (bad > threshold) {
                        // Breaks found later make shorter lines with less glue, looser
                        // still: none of them can end a line here either.
                        if (from.line > 0) break;
                        keep(kept, k);
                        continue;
                    }
                    fitness = bad > loose_badness ? very_loose : bad > decent_badness ? loose : decent;
                }
            } else if (natural > measure) {
                double shrink = total_.shrink - from.after.shrink;
                double excess = natural - measure;
                overfull = excess > shrink;
                if (!overfull) {
                    double ratio = excess / shrink;
                    bad = std::min<double>(100 * ratio * ratio * ratio, infinite_badness);
                }
                fitness = overfull || bad > decent_badness ? tight : decent;
            }

            bool artificial = false;
            if (overfull) {
                // tex.web §854: in the last pass, when the only break left cannot reach
                // here without overflowing and nothing better was found, break anyway.
                artificial = parameters_.final_pass && least == no_demerits && kept == head && k + 1 == count;
                if (artificial && rescue(from)) {
                    // the line now ends at the previous break, and this one is tried
                    // again from there
                    active_.erase(active_.begin() + std::ptrdiff_t(k));
                    first_ = active_.size() - 1;
                    try_break(position);
                    return;
                }
                if (!artificial) {
                    drop(head, kept, k);
                    continue;
                }
            } else if (bad > threshold) {
                if (forced)
                    drop(head, kept, k);
                else
                    keep(kept, k);
                continue;
            }

            double demerits = 0;
            if (!artificial) {
                double line = parameters_.line_penalty + bad;
                demerits = line * line;
                if (penalty > 0)
                    demerits += penalty * penalty;
                else if (!forced)
                    demerits -= penalty * penalty;
                if (flagged && from.flagged) demerits += parameters_.double_hyphen_demerits;
                if (forced && from.flagged) demerits += parameters_.final_hyphen_demerits;
                if (std::abs(int(fitness) - int(from.fitness)) > 1)
                    demerits += parameters_.adjacent_fitness_demerits;
            }
            demerits += from.demerits;
            if (demerits < best[fitness].demerits) {
                // `from` may move down when compacted: remember its new place
                best[fitness] = {demerits, (forced || artificial) ? count + k : kept, true};
                if (forced || artificial) chosen_[fitness] = from;
            }
            least = std::min(least, demerits);
            if (forced || artificial)
                drop(head, kept, k);
            else
                keep(kept, k);
        }
        // The breaks the loop stopped before stay, in order.
        if (kept != k) std::copy(active_.begin() + std::ptrdiff_t(k), active_.begin() + std::ptrdiff_t(count),
                                 active_.begin() + std::ptrdiff_t(kept));
        active_.resize(kept + (count - k));
        first_ = head;
        if (least == no_demerits) return;

        std::size_t start = line_start(items_, position);
        Totals after = after_break(position, start, total_);
        for (int fitness = 0; fitness < fitness_classes; ++fitness) {
            const Candidate& candidate = best[fitness];
            // As TeX does: a class much worse than the best cannot win later.
            if (!candidate.found || candidate.demerits > least + parameters_.adjacent_fitness_demerits) continue;
            const Active& from = candidate.from >= count ? chosen_[fitness] : active_[candidate.from];
            std::uint32_t line = from.line + 1;
            trail_.push_back({std::uint32_t(position), std::int32_t(from.trail)});
            // filled in place: building it aside and copying it in costs more than the
            // rest of the loop
            Active& node = active_.emplace_back();  // (`from` may have moved)
            node.after = after;
            node.demerits = candidate.demerits;
            node.start = std::uint32_t(start);
            node.trail = std::uint32_t(trail_.size() - 1);
            node.line = line;
            node.fitness = Fitness(fitness);
            node.flagged = flagged;
        }
    }

    // The totals after a break at `position`, given those before it: the break's glue
    // and what follows it up to `start` are discarded.
    Totals after_break(std::size_t position, std::size_t start, Totals before) const {
        for (std::size_t j = position; j < start; ++j)
            if (items_[j].kind == Kind::glue) before.add_glue(items_[j]);
        return before;
    }

    // In the last pass, where TeX would make an overfull line from `from` (the last break
    // left) to the current position, makes an underfull one if it can: from `from` to
    // the previous break, which `from` reached without overflowing (it would have been
    // dropped there otherwise). Appends that break to the active list; false when there
    // is none (what overflows is one unbreakable part, wider than the measure).
    bool rescue(const Active& from) {
        if (!previous_.valid || previous_.position <= from.start) return false;
        std::size_t start = line_start(items_, previous_.position);
        Active node;
        node.after = after_break(previous_.position, start, previous_.before);
        node.demerits = from.demerits;
        node.start = std::uint32_t(start);
        node.trail = std::uint32_t(trail_.size());
        node.line = from.line + 1;
        node.fitness = very_loose;
        node.flagged = previous_.flagged;
        trail_.push_back({std::uint32_t(previous_.position), std::int32_t(from.trail)});
        active_.push_back(node);
        previous_.valid = false;
        return true;
    }

    std::span<const BreakItem> items_;
    const BreakParameters& parameters_;
    std::vector<Trail> trail_;     // every break found
    std::vector<Active> active_;  // from first_: the breaks a line may still start from
    std::size_t first_ = 0;
    std::array<Active, fitness_classes> chosen_;  // best breaks that were deactivated
    Totals total_;                 // of the items before the current one
    struct {
        bool valid = false;
        std::size_t position = 0;
        Totals before;
        bool flagged = false;
    } previous_;  // the last legal break, for rescue()
};

}  // namespace

std::size_t line_start(std::span<const BreakItem> items, std::size_t position) {
    std::size_t start = position + 1;
    while (start < items.size()) {
        const BreakItem& item = items[start];
        if (item.kind == Kind::box) break;
        if (item.kind == Kind::penalty && item.penalty <= -infinite_penalty) break;
        ++start;
    }
    return start;
}

std::vector<std::size_t> find_breaks(std::span<const BreakItem> items, const BreakParameters& parameters) {
    return Breaker(items, parameters).run();
}

}  // namespace dconv::pdf
