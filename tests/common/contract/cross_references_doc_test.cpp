// How the protocol documents point at each other (reader 10, L2 and L7).
// Two files are called README.md; every mention of either is a link that
// says which one ("proto/README.md" or "the top-level README"), every link
// to a document resolves, and a section named after it exists there.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "doc_section.hpp"

namespace attune::contract {
namespace {

namespace fs = std::filesystem;

// What an outside implementer reads: proto/ and the top-level README.
const std::vector<std::string> kDocs = {"README.md", "proto/README.md", "proto/HANDSHAKE.md", "proto/INVITE.md",
                                        "proto/discovery.md"};

std::string squeezed(const std::string& text) { return std::regex_replace(text, std::regex("\\s+"), " "); }

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'.
std::string slug(const std::string& heading) {
  std::string out;
  for (const unsigned char c : heading) {
    if (std::isalnum(c) || c == '-' || c == '_' || c >= 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == ' ') {
      out.push_back('-');
    }
  }
  return out;
}

std::vector<std::string> headings(const std::string& doc) {
  std::vector<std::string> out;
  static const std::regex heading("(^|\\n)#+ ([^\\n]*)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), heading), end; it != end; ++it) out.push_back((*it)[2]);
  return out;
}

// A heading that starts with `name`, or a bold lead-in that does.
bool names_a_part(const std::string& doc, const std::string& name) {
  for (const auto& h : headings(doc)) {
    if (h.starts_with(name)) return true;
  }
  return squeezed(doc).find("**" + name) != std::string::npos;
}

void check_link(const fs::path& from, const std::string& text, const std::string& target, const std::string& after) {
  const fs::path root = source_dir();
  const auto hash = target.find('#');
  const std::string path = target.substr(0, hash);
  const fs::path file = path.empty() ? from : fs::weakly_canonical(from.parent_path() / path);
  ASSERT_TRUE(fs::exists(file)) << from << ": the link to " << target << " goes nowhere";
  const std::string doc = read_text(file);
  if (hash != std::string::npos) {
    bool found = false;
    for (const auto& h : headings(doc)) found = found || slug(h) == target.substr(hash + 1);
    EXPECT_TRUE(found) << from << ": no heading for " << target;
  }
  if (text.find("proto/README.md") != std::string::npos) {
    EXPECT_EQ(file, fs::weakly_canonical(root / "proto" / "README.md")) << from << ": " << text << " -> " << target;
  }
  if (text.find("top-level README") != std::string::npos) {
    EXPECT_EQ(file, fs::weakly_canonical(root / "README.md")) << from << ": " << text << " -> " << target;
  }
  // `[doc](path), "Section"`: that section must be in the document linked.
  std::smatch section;
  if (std::regex_search(after, section, std::regex("^,? *\"([^\"]+)\""))) {
    EXPECT_TRUE(names_a_part(doc, squeezed(section[1]))) << from << ": " << target << " has no \"" << section[1] << "\"";
  }
}

TEST(CrossReferencesDoc, EveryReadmeMentionIsALinkThatSaysWhichOne) {
  static const std::regex link("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
  int readme_links = 0;
  for (const auto& name : kDocs) {
    const fs::path from = fs::weakly_canonical(source_dir() / name);
    const std::string doc = read_text(from);
    std::string outside_links;
    std::size_t last = 0;
    for (std::sregex_iterator it(doc.begin(), doc.end(), link), end; it != end; ++it) {
      const std::string target = (*it)[2];
      outside_links += doc.substr(last, it->position() - last);
      last = it->position() + it->length();
      if (target.starts_with("http") || (!target.ends_with(".md") && target.find(".md#") == std::string::npos &&
                                         !target.starts_with("#"))) {
        continue;
      }
      const std::string text = (*it)[1];
      if (target.find("README.md") != std::string::npos) {
        ++readme_links;
        EXPECT_TRUE(text.find("proto/README.md") != std::string::npos || text.find("top-level README") != std::string::npos)
            << name << ": a link to " << target << " reads \"" << text << "\", which doesn't say which README";
      }
      check_link(from, text, target, squeezed(doc.substr(last, 200)));
    }
    outside_links += doc.substr(last);
    EXPECT_EQ(outside_links.find("README"), std::string::npos)
        << name << ": a README mentioned without a link: ..."
        << outside_links.substr(outside_links.find("README") - std::min<std::size_t>(60, outside_links.find("README")), 90);
  }
  EXPECT_GE(readme_links, 30);
}

// proto/README.md, "Session rules": the appendix is part of the contract,
// and the prose says so and links to it.
TEST(CrossReferencesDoc, TheSessionRulesNameTheirAppendixAsPartOfTheContract) {
  const fs::path file = source_dir() / "proto" / "README.md";
  const std::string doc = read_text(file);
  const auto start = doc.find("## Session rules");
  ASSERT_NE(start, std::string::npos);
  const std::string intro = squeezed(doc.substr(start, doc.find("### ", start) - start));
  EXPECT_NE(intro.find("**The contract is this section together with the "
                       "[appendix](#appendix-the-session-rules-intent-by-intent)**"),
            std::string::npos)
      << intro;
  EXPECT_NE(intro.find("Where the prose is silent, the appendix decides"), std::string::npos) << intro;
  const auto appendix = doc.find("\n## Appendix: the session rules, intent by intent\n");
  ASSERT_NE(appendix, std::string::npos);
  EXPECT_EQ(slug("Appendix: the session rules, intent by intent"), "appendix-the-session-rules-intent-by-intent");
  EXPECT_GT(doc.find("<!-- generated: session-rules", appendix), appendix) << "the appendix lost its generated rules";
  EXPECT_TRUE(read_section(file, "session-rules")) << "the appendix lost its generated rules";
}

}  // namespace
}  // namespace attune::contract
