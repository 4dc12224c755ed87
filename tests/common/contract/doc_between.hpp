// Reading one statement out of a document's prose, for the doc tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace attune::contract {

// The text of `doc` from `from` up to `to`; both must be there, or the test
// fails naming the one that is missing (and gets "").
inline std::string between(const std::string& doc, const std::string& from, const std::string& to) {
  const auto start = doc.find(from);
  EXPECT_NE(start, std::string::npos) << "missing: " << from;
  if (start == std::string::npos) return {};
  const auto end = doc.find(to, start + from.size());
  EXPECT_NE(end, std::string::npos) << "missing: " << to;
  return doc.substr(start + from.size(), end == std::string::npos ? 0 : end - start - from.size());
}

}  // namespace attune::contract
