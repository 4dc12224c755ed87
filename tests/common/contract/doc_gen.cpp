// Prints (or, with --write, rewrites in place) the generated sections of the
// protocol documents:
//   attune_doc_gen session-rules            -> proto/README.md, session rules table
//   attune_doc_gen handshake-vectors        -> proto/HANDSHAKE.md, test vectors
//   attune_doc_gen --write NAME             -> splices the output into the document
// After a deliberate change to the engine or the handshake, run it with
// --write, read the diff, and commit it with the change.
#include <iostream>
#include <string>

#include "doc_section.hpp"
#include "handshake_vectors.hpp"
#include "session_rules.hpp"

namespace {

struct Generated {
  std::string text;
  std::vector<std::string> problems;
  std::filesystem::path file;
};

std::optional<Generated> generate(const std::string& name) {
  using namespace attune::contract;
  if (name == "session-rules") {
    auto r = session_rules();
    return Generated{r.table, r.problems, source_dir() / "proto" / "README.md"};
  }
  if (name == "handshake-vectors") {
    auto v = handshake_vectors();
    return Generated{render(v), v.problems, source_dir() / "proto" / "HANDSHAKE.md"};
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  const bool write = argc == 3 && std::string(argv[1]) == "--write";
  if (argc != 2 && !write) {
    std::cerr << "usage: attune_doc_gen [--write] session-rules|handshake-vectors\n";
    return 2;
  }
  const std::string name = argv[argc - 1];
  const auto g = generate(name);
  if (!g) {
    std::cerr << "attune_doc_gen: no section called " << name << "\n";
    return 2;
  }
  for (const auto& p : g->problems) std::cerr << "attune_doc_gen: " << p << "\n";
  if (!g->problems.empty()) return 1;
  if (!write) {
    std::cout << g->text;
    return 0;
  }
  if (!attune::contract::write_section(g->file, name, g->text)) {
    std::cerr << "attune_doc_gen: " << g->file << " has no markers for " << name << "\n";
    return 1;
  }
  std::cout << "rewrote the " << name << " section of " << g->file << "\n";
  return 0;
}
