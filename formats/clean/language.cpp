// PLACEHOLDER: replaced by the real stop-word lists and language guesser.
#include "clean/language.hpp"
#include "dconv/clean.hpp"
namespace dconv::clean {
bool has_stopwords(std::string_view) { return false; }
bool is_stopword(std::string_view, std::string_view) { return false; }
double stopword_density(std::string_view, std::string_view) { return 0; }
}  // namespace dconv::clean
namespace dconv {
std::string guess_language(std::string_view) { return ""; }
}  // namespace dconv
