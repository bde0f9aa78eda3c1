// PLACEHOLDER: replaced by the real date parser.
#include "dconv/clean.hpp"
namespace dconv {
std::string find_date(std::string_view) { return ""; }
}  // namespace dconv
