// rules_test.cpp: the pass table and the rule table (dconv/clean.hpp, clean/rules.hpp):
// stable ids, each rule applied by a listed pass, and the experiment switch.
#include <catch2/catch.hpp>

#include <cctype>
#include <set>
#include <string>

#include "clean/rules.hpp"
#include "dconv/clean.hpp"

namespace {

bool kebab_case(std::string_view id) {
    if (id.empty() || id.front() == '-' || id.back() == '-') return false;
    for (char c : id)
        if (!(std::islower(static_cast<unsigned char>(c)) || c == '-')) return false;
    return true;
}

}  // namespace

TEST_CASE("every cleaning pass is listed once, with an id and what it does") {
    const auto& passes = dconv::cleaning_passes();
    REQUIRE(passes.size() >= 8);
    std::set<std::string_view> ids;
    for (const dconv::CleaningPass& pass : passes) {
        INFO(pass.id);
        CHECK(kebab_case(pass.id));
        CHECK(ids.insert(pass.id).second);
        CHECK(!pass.what.empty());
        CHECK((pass.reads == "text" || pass.reads == "html" || pass.reads == "both"));
        CHECK(dconv::find_cleaning_pass(pass.id) == &pass);
    }
    // the text pipeline runs in the table's order: strip, metadata, classify, repair
    std::string text;
    for (const dconv::CleaningPass& pass : passes)
        if (pass.run) text += std::string(pass.id) + " ";
    CHECK(text == "strip-fragments metadata classify repair ");
    CHECK(dconv::find_cleaning_pass("no-such-pass") == nullptr);
}

TEST_CASE("every rule has a stable id, in enum order, applied by a listed pass") {
    using dconv::clean::Rule;
    const auto count = static_cast<std::size_t>(Rule::count);
    std::set<std::string_view> ids;
    for (std::size_t k = 0; k < count; ++k) {
        const dconv::clean::RuleInfo& info = dconv::clean::kRuleTable[k];
        INFO(info.id);
        CHECK(static_cast<std::size_t>(info.rule) == k);
        CHECK(dconv::clean::rule_id(info.rule) == info.id);
        CHECK(kebab_case(info.id));
        CHECK(ids.insert(info.id).second);
        CHECK(dconv::find_cleaning_pass(info.pass) != nullptr);
        CHECK(!info.what.empty());
    }
    REQUIRE(dconv::cleaning_rules().size() == count);
    CHECK(dconv::cleaning_rules().front().id == dconv::clean::kRuleTable[0].id);
}

TEST_CASE("rules are switched off by id, and unknown ids are reported") {
    using dconv::clean::Rule;
    CHECK(dconv::clean::set_rules_off("").empty());
    CHECK(dconv::clean::rule_on(Rule::link_density));
    CHECK(dconv::clean::set_rules_off(" link-density ,widget-words,,no-such-rule,also-not") ==
          "no-such-rule,also-not");
    CHECK_FALSE(dconv::clean::rule_on(Rule::link_density));
    CHECK_FALSE(dconv::clean::rule_on(Rule::widget_words));
    CHECK(dconv::clean::rule_on(Rule::legal_line));
    CHECK(dconv::clean::set_rules_off("").empty());
    CHECK(dconv::clean::rule_on(Rule::link_density));
}
