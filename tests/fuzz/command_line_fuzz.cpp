// Fuzzes headless stdin: bytes arrive in chunks of any size, are cut into
// lines (peer/cli/line_reader.hpp) and parsed as commands. The lines seen
// must be exactly those of the input that fit the limit, however the bytes
// were chunked (so no tail of an over-long line ever runs), and no command
// may build an intent the door would refuse for its size.
#include <vector>

#include "attune/intent_limits.hpp"
#include "attune/text.hpp"
#include "cli/command_parser.hpp"
#include "cli/line_reader.hpp"
#include "fuzz_support.hpp"

namespace {

// The lines a reader must deliver: split at '\n'; an over-long line goes
// entirely; a last line without '\n' counts unless it is over-long.
std::vector<std::string> expected_lines(std::string_view input) {
  std::vector<std::string> out;
  while (!input.empty()) {
    const auto newline = input.find('\n');
    const auto line = input.substr(0, newline);
    if (line.size() <= attune::cli::kMaxLineBytes && !(newline == std::string_view::npos && line.empty()))
      out.emplace_back(line);
    if (newline == std::string_view::npos) break;
    input.remove_prefix(newline + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  attune::fuzz::ByteReader in(data, size);
  // The first bytes choose how stdin is chunked and how long lines grow.
  const std::size_t chunk = 1 + in.byte() % 64;
  const std::size_t repeat = in.byte();
  std::string input(in.take(in.left()));
  // Makes over-long lines cheap to reach: the input's first line, repeated.
  if (repeat > 200) {
    const std::string first = input.substr(0, input.find('\n'));
    std::string longer;
    while (!first.empty() && longer.size() <= attune::cli::kMaxLineBytes + 10) longer += first;
    input = longer + input;
  }

  attune::cli::LineReader reader;
  std::vector<std::string> seen;
  const auto on_line = [&](std::string_view line) {
    FUZZ_CHECK(line.size() <= attune::cli::kMaxLineBytes);
    FUZZ_CHECK(line.find('\n') == std::string_view::npos);
    seen.emplace_back(line);
    if (!attune::is_valid_utf8(line)) return true;  // Refused before parsing.
    const auto command = attune::cli::parse_command(line, attune::v1::SessionState{}, 0);
    if (const auto* send = std::get_if<attune::cli::SendIntent>(&command)) {
      if (send->intent.has_write_text())
        FUZZ_CHECK(send->intent.write_text().text().size() <= attune::kMaxTextBytes);
      if (send->intent.has_propose_gesture())
        FUZZ_CHECK(send->intent.propose_gesture().text().size() <= attune::kMaxGestureBytes);
    }
    if (const auto* error = std::get_if<attune::cli::ParseError>(&command))
      FUZZ_CHECK(!error->message.empty());
    return true;
  };
  const auto on_too_long = [] {};
  std::string_view rest = input;
  while (!rest.empty()) {
    const auto piece = rest.substr(0, chunk);
    rest.remove_prefix(piece.size());
    FUZZ_CHECK(reader.feed(piece, on_line, on_too_long));
  }
  reader.finish(on_line, on_too_long);
  FUZZ_CHECK(seen == expected_lines(input));
  return 0;
}
