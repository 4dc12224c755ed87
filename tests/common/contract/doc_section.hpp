// Generated sections of the protocol documents. A section sits between
//   <!-- generated: NAME (run: attune_doc_gen --write NAME) -->
//   <!-- end generated: NAME -->
// and holds exactly what a generator printed. Tests compare the two, and
// `attune_doc_gen --write NAME` rewrites the section after a deliberate change.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attune::contract {

// The repository's source folder (set at build time), for reading the docs.
std::filesystem::path source_dir();

std::string read_text(const std::filesystem::path& file);
// The file's text with every run of whitespace made one space, to find a
// sentence however it is wrapped (by hand: GCC 12's regex warns under ASan).
std::string read_squeezed(const std::filesystem::path& file);

// The text between the markers of `name`, or nullopt if they are missing.
std::optional<std::string> read_section(const std::filesystem::path& file, const std::string& name);

// Hand-written text a test reads (a table of cases, say), between
//   <!-- contract: NAME -->  and  <!-- end contract: NAME -->
std::optional<std::string> read_contract(const std::filesystem::path& file, const std::string& name);

// The trimmed cells of each body row of the markdown tables in `text`
// (the first two table lines, header and separator, are skipped).
std::vector<std::vector<std::string>> markdown_rows(const std::string& text);

// The rows of the contract table `name` in `file`, each of exactly
// `columns` cells, at least `min_rows` of them; nullopt with the reason in
// `problem` when the table is missing or a row is malformed.
std::optional<std::vector<std::vector<std::string>>> contract_table(const std::filesystem::path& file,
                                                                    const std::string& name,
                                                                    std::size_t columns, std::size_t min_rows,
                                                                    std::string* problem);

// A cell's text with its `code` backticks taken out.
std::string unquoted(std::string cell);

// Replaces the section's text; false (and nothing written) if the markers are missing.
bool write_section(const std::filesystem::path& file, const std::string& name, const std::string& text);

}  // namespace attune::contract
