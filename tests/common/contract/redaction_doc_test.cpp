// proto/README.md, "Redaction per recipient": the fields each recipient's
// copy of the state loses are exactly the ones the table names (issue 15).
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "attune/engine.hpp"
#include "doc_section.hpp"

namespace attune::contract {
namespace {

// Every top-level field set to something other than its default.
State everything_set() {
  State s;
  const auto* d = s.GetDescriptor();
  const auto* r = s.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    using T = google::protobuf::FieldDescriptor;
    if (f->is_repeated()) {
      EXPECT_EQ(f->cpp_type(), T::CPPTYPE_MESSAGE) << f->name();
      r->AddMessage(&s, f);
      continue;
    }
    switch (f->cpp_type()) {
      case T::CPPTYPE_MESSAGE: r->MutableMessage(&s, f); break;
      case T::CPPTYPE_STRING: r->SetString(&s, f, "x"); break;
      case T::CPPTYPE_BOOL: r->SetBool(&s, f, true); break;
      case T::CPPTYPE_ENUM: r->SetEnumValue(&s, f, 1); break;
      case T::CPPTYPE_INT64: r->SetInt64(&s, f, 1); break;
      case T::CPPTYPE_UINT64: r->SetUInt64(&s, f, 1); break;
      case T::CPPTYPE_INT32: r->SetInt32(&s, f, 1); break;
      case T::CPPTYPE_UINT32: r->SetUInt32(&s, f, 1); break;
      default: ADD_FAILURE() << "unexpected field type: " << f->name();
    }
  }
  s.mutable_gate()->set_above_a(true);
  s.mutable_gate()->set_above_b(true);
  s.mutable_gate()->set_long_break_hint(true);
  s.mutable_gate()->set_checked_in_a(true);
  auto* p = s.mutable_participants(0);
  p->set_id("admitted");
  p->set_admitted(true);
  return s;
}

// The names of the top-level fields whose value differs between a and b.
std::set<std::string> differing(const State& a, const State& b) {
  std::set<std::string> out;
  const auto* d = a.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    State ka = a, kb = b;
    for (int j = 0; j < d->field_count(); ++j) {
      if (j == i) continue;
      ka.GetReflection()->ClearField(&ka, d->field(j));
      kb.GetReflection()->ClearField(&kb, d->field(j));
    }
    if (ka.SerializeAsString() != kb.SerializeAsString()) out.insert(d->field(i)->name());
  }
  return out;
}

TEST(RedactionDoc, EachRecipientLosesExactlyTheFieldsTheTableNames) {
  const auto doc = read_contract(source_dir() / "proto" / "README.md", "redaction");
  ASSERT_TRUE(doc) << "proto/README.md lost its redaction table";
  // The table sits inside a list item: its lines are indented.
  const auto rows = markdown_rows(std::regex_replace("\n" + *doc, std::regex("\\n +\\|"), "\n|"));
  ASSERT_EQ(rows.size(), 3u);
  const std::string& waiting = rows[2][1];
  const auto without = waiting.find("without");
  const auto cleared_at = waiting.find("(cleared)");
  ASSERT_TRUE(without != std::string::npos && cleared_at != std::string::npos) << waiting;
  std::set<std::string> cleared;
  static const std::regex name("`(\\w+)`");
  const std::string list = waiting.substr(without, cleared_at - without);
  for (std::sregex_iterator it(list.begin(), list.end(), name), end; it != end; ++it) cleared.insert((*it)[1]);
  ASSERT_GE(cleared.size(), 3u) << waiting;
  // What it still gets: the rest of the row. Together the two lists name every field once.
  std::set<std::string> kept;
  const std::string rest = waiting.substr(cleared_at);
  for (std::sregex_iterator it(rest.begin(), rest.end(), name), end; it != end; ++it) kept.insert((*it)[1]);
  kept.erase("Snapshot");
  kept.erase("Join");
  kept.erase("LOBBY_ONLY");
  kept.erase("Change");
  kept.erase("PHASE_ACTIVE");
  std::set<std::string> all;
  for (int i = 0; i < State::descriptor()->field_count(); ++i) all.insert(State::descriptor()->field(i)->name());
  std::set<std::string> both = kept;
  both.insert(cleared.begin(), cleared.end());
  EXPECT_EQ(both, all) << "the waiting room's row must name every SessionState field, cleared or kept";
  for (const auto& f : kept) EXPECT_FALSE(cleared.count(f)) << f << " is both cleared and kept";

  const State state = everything_set();
  // An admitted device: only the gate's two "above the line" bits and its
  // long-break hint are hidden; who checked in is not.
  const State view = view_for(state, "admitted");
  EXPECT_FALSE(view.gate().above_a());
  EXPECT_FALSE(view.gate().above_b());
  EXPECT_FALSE(view.gate().long_break_hint());
  EXPECT_TRUE(view.gate().checked_in_a());
  State unhidden = view;
  unhidden.mutable_gate()->set_above_a(true);
  unhidden.mutable_gate()->set_above_b(true);
  unhidden.mutable_gate()->set_long_break_hint(true);
  EXPECT_EQ(unhidden.SerializeAsString(), state.SerializeAsString()) << "an admitted device gets everything else";
  const State waiting_view = view_for(state, "stranger");
  EXPECT_EQ(differing(state, waiting_view), cleared) << "a device not yet admitted loses other fields than documented";
  EXPECT_FALSE(waiting_view.session_id().empty()) << "the waiting room keeps the session id";
}

// The row's one exception: a device outside sees a check-in, a pause or a
// long break as the session under way, and the phases around them as they are.
TEST(RedactionDoc, OutsideTheSessionAPauseReadsAsUnderWay) {
  const auto doc = read_contract(source_dir() / "proto" / "README.md", "redaction");
  ASSERT_TRUE(doc);
  EXPECT_NE(doc->find("`phase` reads `PHASE_ACTIVE` during a check-in, a pause or a long break"), std::string::npos);
  State s = everything_set();
  for (const auto phase : {v1::PHASE_CHECK_IN, v1::PHASE_PAUSED, v1::PHASE_LONG_BREAK}) {
    s.set_phase(phase);
    EXPECT_EQ(view_for(s, "stranger").phase(), v1::PHASE_ACTIVE) << v1::Phase_Name(phase);
    EXPECT_EQ(view_for(s, "admitted").phase(), phase) << v1::Phase_Name(phase);
  }
  for (const auto phase : {v1::PHASE_LOBBY, v1::PHASE_ACTIVE, v1::PHASE_COMPLETE, v1::PHASE_ENDED}) {
    s.set_phase(phase);
    EXPECT_EQ(view_for(s, "stranger").phase(), phase) << v1::Phase_Name(phase);
  }
}

}  // namespace
}  // namespace attune::contract
