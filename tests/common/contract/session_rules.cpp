#include "session_rules.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <functional>
#include <limits>
#include <sstream>

#include "attune/engine.hpp"
#include "attune/intents.hpp"
#include "refused_intents.hpp"

namespace attune::contract {

namespace {

namespace pb = google::protobuf;

constexpr int64_t kStart = 1'000'000;  // Session clock at creation (ms).

// Enum values without their type's prefix: STEP_SHARE -> SHARE.
std::string short_enum(const pb::EnumValueDescriptor* value) {
  std::string type;
  for (char ch : value->type()->name()) {
    if (std::isupper(static_cast<unsigned char>(ch)) && !type.empty()) type += '_';
    type += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  const std::string& name = value->name();
  return name.rfind(type + "_", 0) == 0 ? name.substr(type.size() + 1) : name;
}

std::string time_text(int64_t ms, int64_t now) {
  if (ms == now) return "now";
  const int64_t d = ms - now;
  if (d % 1000 == 0) return (d > 0 ? "now+" : "now") + std::to_string(d / 1000) + "s";
  return (d > 0 ? "now+" : "now") + std::to_string(d) + "ms";
}

// Fields whose change says nothing about the rules: clocks of record and the version counter.
bool skipped(const pb::FieldDescriptor* f) {
  const std::string& n = f->name();
  return n == "version" || n == "started_ms" || n == "step_started_ms" || n == "ended_ms";
}

std::string scalar_text(const pb::Message& m, const pb::FieldDescriptor* f, int64_t now, int index = -1) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return short_enum(rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f));
    case pb::FieldDescriptor::CPPTYPE_STRING:
      return "\"" + (rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f)) + "\"";
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v = rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f);
      return f->name().ends_with("_ms") && v != 0 ? time_text(v, now) : std::to_string(v);
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "?";
}

// "{k=v, ...}" of the fields set in a message.
std::string compact(const pb::Message& m, int64_t now) {
  std::vector<const pb::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  std::string out;
  for (const auto* f : fields) {
    if (skipped(f)) continue;
    if (!out.empty()) out += ", ";
    if (f->is_repeated() || f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      out += f->name() + "={...}";
    } else {
      out += f->name() + "=" + scalar_text(m, f, now);
    }
  }
  return "{" + out + "}";
}

void diff(const pb::Message& a, const pb::Message& b, const std::string& path, int64_t now,
          std::vector<std::string>& out);

// Participants are matched by id and named by role, so a removal reads as one.
void diff_participants(const State& a, const State& b, int64_t now, std::vector<std::string>& out) {
  auto label = [](const v1::Participant& p) {
    return "participants[" + short_enum(v1::Role_descriptor()->FindValueByNumber(p.role())) + "]";
  };
  for (const auto& p : a.participants()) {
    const v1::Participant* q = find_participant(b, p.id());
    if (q == nullptr) {
      out.push_back(label(p) + " removed");
    } else {
      diff(p, *q, label(p), now, out);
    }
  }
  for (const auto& q : b.participants()) {
    if (find_participant(a, q.id()) == nullptr) out.push_back(label(q) + " added " + compact(q, now));
  }
}

void diff_repeated(const pb::Message& a, const pb::Message& b, const pb::FieldDescriptor* f,
                   const std::string& name, int64_t now, std::vector<std::string>& out) {
  const pb::Reflection* ra = a.GetReflection();
  const int na = ra->FieldSize(a, f), nb = b.GetReflection()->FieldSize(b, f);
  for (int i = 0; i < std::max(na, nb); ++i) {
    const std::string at = name + "[" + std::to_string(i) + "]";
    if (i >= nb) {
      out.push_back(at + " removed");
    } else if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (i >= na || scalar_text(a, f, now, i) != scalar_text(b, f, now, i))
        out.push_back(at + "=" + scalar_text(b, f, now, i));
    } else if (i >= na) {
      out.push_back(at + " added " + compact(b.GetReflection()->GetRepeatedMessage(b, f, i), now));
    } else {
      diff(ra->GetRepeatedMessage(a, f, i), b.GetReflection()->GetRepeatedMessage(b, f, i), at, now, out);
    }
  }
}

void diff(const pb::Message& a, const pb::Message& b, const std::string& path, int64_t now,
          std::vector<std::string>& out) {
  const pb::Descriptor* d = a.GetDescriptor();
  const pb::Reflection* ra = a.GetReflection();
  const pb::Reflection* rb = b.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (skipped(f)) continue;
    const std::string name = path.empty() ? f->name() : path + "." + f->name();
    if (f->is_repeated()) {
      if (f->name() == "participants") {
        diff_participants(static_cast<const State&>(a), static_cast<const State&>(b), now, out);
      } else {
        diff_repeated(a, b, f, name, now, out);
      }
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (ra->HasField(a, f) && !rb->HasField(b, f)) {
        out.push_back(name + " cleared");
      } else if (rb->HasField(b, f)) {
        diff(ra->GetMessage(a, f), rb->GetMessage(b, f), name, now, out);
      }
    } else if (scalar_text(a, f, now) != scalar_text(b, f, now)) {
      out.push_back(name + "=" + scalar_text(b, f, now));
    }
  }
}

std::string effect_text(const Effect& e, const State& s, int64_t now) {
  switch (e.kind) {
    case Effect::Kind::StartTimer:
      return "StartTimer(" + time_text(e.due_ms, now) + ")";
    case Effect::Kind::SessionComplete:
      return "SessionComplete";
    case Effect::Kind::SessionEnded:
      return "SessionEnded";
    case Effect::Kind::Removed: {
      const v1::Participant* p = find_participant(s, e.participant_id);
      return "Removed(" +
             (p ? short_enum(v1::Role_descriptor()->FindValueByNumber(p->role())) : e.participant_id) + ")";
    }
  }
  return "?";
}

// What one apply() did, as a table cell.
std::string cell(const State& before, const Intent& intent, const Actor& actor, int64_t now) {
  const Result r = apply(before, intent, actor, from_ms(now));
  if (!r.accepted()) return short_enum(v1::RefusalCode_descriptor()->FindValueByNumber(r.refusal->code()));
  std::vector<std::string> parts;
  diff(before, r.state, "", now, parts);
  for (const auto& e : r.effects) parts.push_back("effect " + effect_text(e, before, now));
  if (parts.empty()) return "✓ (no change)";
  std::string out = "✓ ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

const char* kA = "dev-a";
const char* kB = "dev-b";
const char* kCoach = "dev-coach";
const char* kNew = "dev-new";

struct Sample {
  std::string label;
  Intent intent;
  bool shell = false;  // Sent by the host's shell (system actor).
  bool join = false;   // Sent by a device not in the session yet.
};

// Quick-repair settings with B reaching out.
v1::Settings quick_b() {
  auto s = default_settings();
  s.set_kind(v1::REPAIR_KIND_QUICK);
  s.set_repairer(v1::ROLE_PARTNER_B);
  return s;
}

std::vector<Sample> samples(int64_t now) {
  std::vector<Sample> out;
  auto add = [&](std::string label, Intent intent, bool shell = false, bool join = false) {
    out.push_back(Sample{std::move(label), std::move(intent), shell, join});
  };
  add(
      "Join{role: COACH}",
      intents::join("Dana", v1::ROLE_COACH),
      false, true);
  add("Admit{B}", intents::admit(kB));
  add("Admit{coach}", intents::admit(kCoach));
  add("Decline{B}", intents::decline(kB));
  add("Decline{coach}", intents::decline(kCoach));
  add("Leave", intents::leave());
  auto threshold_4 = default_settings();
  threshold_4.set_threshold(4);
  add("ProposeSettings{threshold: 4}", intents::settings(threshold_4));
  add("ProposeSettings{kind: QUICK, repairer: B}", intents::settings(quick_b()));
  add("SetReady{true}", intents::ready(true));
  add("SetReady{false}", intents::ready(false));
  add("ShareWithCoach{true}", intents::share_with_coach(true));
  add("Confirm", intents::confirm());
  add("CheckIn{above: false}", intents::check_in(false));
  add("CheckIn{above: true}", intents::check_in(true));
  add("OfferFirst", intents::offer_first());
  add("RequestDraw", intents::request_draw());
  add("AskCoach", intents::ask_coach());
  add("AcceptFirst", intents::accept_first());
  add("AssignFirst{B}", intents::assign_first(v1::ROLE_PARTNER_B));
  add("WriteText", intents::write("I felt alone"));
  add("PassFloor", intents::pass_floor());
  add("FinishReflection", intents::finish_reflection());
  add("AnswerHeard", intents::heard());
  add("AnswerNotQuite", intents::not_quite());
  add("AskMore", intents::ask_more());
  add("AnswerMore{true}", intents::answer_more(true));
  add("AnswerMore{false}", intents::answer_more(false));
  add("WriteListening", intents::write_listening("It makes sense", "I imagine"));
  add("WriteListening{validation only}", intents::write_listening("It makes sense", ""));
  add("FinishValidation", intents::finish_validation());
  add("SkipPart", intents::skip_part());
  add("WholeConversation", intents::whole_conversation());
  add("ProposeGesture", intents::propose_gesture("a walk"));
  add("AcceptGesture{1}", intents::accept_gesture(1));
  add("CallPause", intents::pause());
  add("ExtendPause{60}", intents::extend(60));
  add("ProposeLongBreak{now+1h}",
      intents::propose_long_break(now + 3'600'000));
  add("AcceptLongBreak", intents::accept_long_break());
  add("ReturnFromBreak", intents::return_from_break());
  add("Exit", intents::exit());
  add(
      "SetPresence{B, false}",
      intents::presence(kB, false),
      true);
  add(
      "SetPresence{B, true}",
      intents::presence(kB, true),
      true);
  add(
      "TimerFired", intents::timer(now), true);
  return out;
}

struct Situation {
  std::string name;
  State state;
  int64_t now;
};

// Drives one session through the engine, keeping the states worth a row group.
class Walk {
 public:
  explicit Walk(std::vector<std::string>& problems) : problems_(problems) {
    s_ = new_session("session-1", "Tuesday", default_settings(), kA, "Alex", v1::ROLE_PARTNER_A,
                     from_ms(now_));
  }
  Walk& as(const char* who, const Intent& intent) { return send(Actor::participant(who), intent); }
  Walk& shell(const Intent& intent) { return send(Actor::shell(), intent); }
  Walk& wait(int64_t ms) {
    now_ += ms;
    return *this;
  }
  Walk& keep(std::string name, std::vector<Situation>& out) {
    out.push_back(Situation{std::move(name), s_, now_ + 1000});
    return *this;
  }
  Walk& both_check_in() {
    return as(kA, intents::check_in(false)).as(kB, intents::check_in(false));
  }
  // Step 6 after the mirror: nothing more, validated, empathised, reflected.
  Walk& reflect_through(const char* listener, const char* speaker) {
    return as(listener, intents::ask_more())
        .as(speaker, intents::answer_more(false))
        .as(listener, intents::finish_validation())
        .as(listener, intents::finish_reflection());
  }
  const State& state() const { return s_; }
  int64_t now() const { return now_; }

 private:
  Walk& send(const Actor& actor, const Intent& intent) {
    now_ += 1000;
    Result r = apply(s_, intent, actor, from_ms(now_));
    if (!r.accepted()) {
      problems_.push_back("the walk was refused at " + intent.ShortDebugString() + ": " +
                          r.refusal->message());
    }
    s_ = std::move(r.state);
    return *this;
  }

  std::vector<std::string>& problems_;
  State s_;
  int64_t now_ = kStart;
};

// The walk's usual moves.
const Intent confirm = intents::confirm();
const Intent pass = intents::pass_floor();
const Intent finish_reflection = intents::finish_reflection();
const Intent heard = intents::heard();
const Intent pause = intents::pause();
const Intent ready = intents::ready();
using intents::admit;
using intents::join;

// The lobby and the steps up to the first share, in order.
State walk_to_share(Walk& w, std::vector<Situation>& out) {
  w.as(kB, join("Blake", v1::ROLE_PARTNER_B)).as(kCoach, join("Casey", v1::ROLE_COACH));
  w.keep("Lobby: B and the coach have joined; only the host is in", out);
  w.as(kA, admit(kB)).as(kA, admit(kCoach));
  w.keep("Lobby: A let B and the coach in; the coach waits for B", out);
  w.as(kB, admit(kCoach)).as(kA, ready);
  w.keep("Lobby: everyone is in; A is ready", out);
  w.as(kB, ready);
  w.keep("1 Name it", out);
  w.as(kA, confirm);
  w.keep("1 Name it: A confirmed", out);
  w.as(kB, confirm);
  w.keep("2 Gauge: the first check-in", out);
  w.as(kA, intents::check_in(false));
  w.keep("2 Gauge: A checked in", out);
  w.as(kB, intents::check_in(false));
  w.keep("3 Benefit of the doubt", out);
  w.as(kA, confirm).as(kB, confirm);
  w.keep("Check-in before step 4", out);
  w.both_check_in();
  w.keep("4 Who goes first: nothing proposed", out);
  return w.state();
}

// Step 4's other paths, each from "nothing proposed".
void who_first_paths(const State& start, int64_t now, std::vector<Situation>& out,
                     std::vector<std::string>& problems) {
  auto from = [&](std::initializer_list<std::pair<const char*, Intent>> steps) {
    State s = start;
    int64_t t = now;
    for (const auto& [who, i] : steps) {
      t += 1000;
      Result r = apply(s, i, Actor::participant(who), from_ms(t));
      if (!r.accepted()) problems.push_back("step 4 path refused: " + r.refusal->message());
      s = std::move(r.state);
    }
    return std::pair{s, t + 1000};
  };
  auto [asked, t1] = from({{kA, intents::ask_coach()}});
  out.push_back(Situation{"4 Who goes first: A suggested asking the coach", asked, t1});
  auto [coach, t2] = from(
      {{kA, intents::ask_coach()}, {kB, intents::accept_first()}});
  out.push_back(Situation{"4 Who goes first: both asked the coach", coach, t2});
}

// The rest of the session on its main path: A offers to go first.
void walk_rounds(Walk& w, std::vector<Situation>& out) {
  w.as(kA, intents::offer_first());
  w.keep("4 Who goes first: A offered to go first", out);
  w.as(kB, intents::accept_first());
  w.keep("Check-in before step 5", out);
  w.both_check_in();
  w.keep("5 Share, round 1: A speaks", out);
  w.as(kA, pass);
  w.keep("Check-in before step 6", out);
  w.both_check_in();
  w.keep("6 Reflect, round 1: B reflects", out);
  w.as(kB, intents::ask_more());
  w.keep("6 Reflect, round 1: B asked \"Is there more?\"", out);
  w.as(kA, intents::answer_more(true));
  w.keep("6 Reflect, round 1: A adds more", out);
  w.as(kA, pass);
  w.keep("6 Reflect, round 1: back to B's mirror after A added", out);
  w.as(kB, intents::ask_more());
  w.as(kA, intents::answer_more(false));
  w.keep("6 Reflect, round 1: B validates", out);
  w.as(kB, intents::finish_validation());
  w.keep("6 Reflect, round 1: B empathises", out);
  w.as(kB, finish_reflection);
  w.keep("6 Reflect, round 1: A answers", out);
  w.as(kA, intents::not_quite());
  w.keep("5 Share after \"not quite\": A clarifies", out);
  w.as(kA, pass);
  w.keep("6 Reflect after \"not quite\": B mirrors again", out);
  w.reflect_through(kB, kA).as(kA, heard).both_check_in();
  w.keep("5 Share, round 2: B speaks", out);
  w.as(kB, pass).both_check_in().reflect_through(kA, kB);
  w.keep("6 Reflect, round 2: B answers", out);
  w.as(kB, heard).both_check_in();
  w.keep("7 Own your pattern: A's turn", out);
  w.as(kA, pass);
  w.keep("7 Own your pattern: B's turn", out);
  w.as(kB, pass).both_check_in();
  w.keep("8 Reassure: A's turn", out);
  w.as(kA, pass);
  w.keep("8 Reassure: B's turn", out);
  w.as(kB, pass).both_check_in();
  w.keep("9 Reconnect: no gesture yet", out);
  w.as(kA, intents::propose_gesture("a walk"));
  w.keep("9 Reconnect: A proposed gesture 1", out);
  w.as(kB, intents::accept_gesture(1));
  w.keep("Complete", out);
}

// A quick repair with B reaching out, to its gesture step and the end.
void walk_quick(std::vector<Situation>& out, std::vector<std::string>& problems) {
  Walk w(problems);
  w.as(kB, join("Blake", v1::ROLE_PARTNER_B)).as(kA, admit(kB));
  w.as(kA, intents::settings(quick_b()));
  w.as(kA, ready).as(kB, ready);
  w.keep("Quick 1 Name it", out);
  w.as(kA, confirm).as(kB, confirm);
  w.keep("Quick: the first check-in", out);
  w.both_check_in();
  w.keep("Quick 2 Acknowledge: B reaches out", out);
  w.as(kB, pass);
  w.keep("Quick 2 Acknowledge: A says whether they feel seen", out);
  w.as(kA, heard);
  w.keep("Quick 3 Own part: B", out);
  w.as(kB, pass);
  w.keep("Quick 4 The other's part: A may name theirs", out);
  w.as(kA, intents::skip_part());
  w.keep("Quick: check-in before the gesture", out);
  w.both_check_in();
  w.keep("Quick 5 Reconnect: no gesture yet", out);
  w.as(kB, intents::propose_gesture("a walk"));
  w.keep("Quick 5 Reconnect: B proposed gesture 1", out);
}

// Pauses, a long break, a dropped device and an exit, from step 5.
void walk_interruptions(std::vector<Situation>& out, std::vector<std::string>& problems) {
  Walk w(problems);
  std::vector<Situation> ignored;
  walk_to_share(w, ignored);
  w.as(kA, intents::offer_first()).as(kB, intents::accept_first());
  w.both_check_in();
  const State share = w.state();
  const int64_t share_now = w.now();
  w.as(kB, pause);
  w.keep("Paused (called), before the minimum pause is over", out);
  w.wait(120'000);
  w.keep("Paused (called), the minimum pause is over", out);
  w.as(kA, intents::propose_long_break(w.now() + 3'600'000));
  w.keep("Paused: A proposed a long break", out);
  w.as(kB, intents::accept_long_break());
  w.keep("Long break", out);
  w.as(kA, intents::return_from_break());
  w.keep("Long break: A is back, B not yet", out);
  w.as(kB, intents::return_from_break());
  w.keep("Check-in after a pause (resume gate)", out);

  Result away = apply(
      share,
      intents::presence(kB, false),
      Actor::shell(), from_ms(share_now + 1000));
  if (!away.accepted()) problems.push_back("presence refused");
  out.push_back(Situation{"Paused (connection): B's device is away", away.state, share_now + 2000});
  Result ended = apply(share, intents::exit(), Actor::participant(kCoach), from_ms(share_now + 1000));
  if (!ended.accepted()) problems.push_back("exit refused");
  out.push_back(Situation{"Ended (someone stopped the session)", ended.state, share_now + 2000});
}

// The codes the appendix's legend gives once for all situations instead of
// per intent: a participant's shell intent is SYSTEM_ONLY, and a device not
// in the session is NOT_IN_SESSION for all but Join.
void check_fixed_codes(const Situation& sit, const Sample& sample, std::vector<std::string>& problems) {
  if (sample.join) return;  // A new device's Join has its own column.
  const std::string expected = sample.shell ? "SYSTEM_ONLY" : "NOT_IN_SESSION";
  const std::vector<const char*> senders =
      sample.shell ? std::vector<const char*>{kA, kB, kCoach} : std::vector<const char*>{kNew};
  for (const char* who : senders)
    if (cell(sit.state, sample.intent, Actor::participant(who), sit.now) != expected)
      problems.push_back(std::string(who) + "'s " + sample.label + " is not " + expected + " in " + sit.name);
}

// The table, one group of rows per situation, then per situation the codes
// of the intents no sender may send there.
std::string render_rows(const std::vector<Situation>& situations, std::vector<std::string>& problems) {
  std::ostringstream out, refusals;
  out << "| situation | intent | partner A (host) | partner B | coach | other sender |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const Situation& sit : situations) {
    bool first = true;
    std::vector<Refused> refused;
    for (const Sample& sample : samples(sit.now)) {
      check_fixed_codes(sit, sample, problems);
      std::string a = "—", b = "—", c = "—", other = "—";
      Refused codes{sample.label, {}};
      bool any = false;
      auto run = [&](const char* sender, const Actor& actor) {
        std::string text = cell(sit.state, sample.intent, actor, sit.now);
        any = any || text.rfind("✓", 0) == 0;
        codes.codes.emplace_back(sender, text);
        return text;
      };
      if (sample.shell) {
        other = "shell: " + run("shell", Actor::shell());
      } else {
        a = run("A", Actor::participant(kA));
        b = run("B", Actor::participant(kB));
        c = run("coach", Actor::participant(kCoach));
        if (sample.join) other = "new device: " + run("new device", Actor::participant(kNew));
      }
      if (!any) {
        refused.push_back(std::move(codes));
        continue;
      }
      out << "| " << (first ? "**" + sit.name + "**" : "") << " | " << sample.label << " | " << a << " | "
          << b << " | " << c << " | " << other << " |\n";
      first = false;
    }
    if (first) out << "| **" << sit.name << "** | (nothing is accepted) | | | | |\n";
    refusals << refused_item(sit.name, refused);
  }
  out << "\n**Refused for every sender**, situation by situation (the intents without a row there):\n\n"
      << refusals.str();
  return out.str();
}

}  // namespace

SessionRules session_rules() {
  SessionRules rules;
  std::vector<Situation> situations;
  Walk w(rules.problems);
  const State who_first = walk_to_share(w, situations);
  who_first_paths(who_first, w.now(), situations, rules.problems);
  walk_rounds(w, situations);
  walk_interruptions(situations, rules.problems);
  walk_quick(situations, rules.problems);
  // proto/README.md: the engine never reads TimerFired.due_ms, only host now.
  for (const Situation& sit : situations) {
    const std::string at_now = cell(sit.state, intents::timer(sit.now), Actor::shell(), sit.now);
    for (const int64_t due : {int64_t{0}, sit.now + 3'600'000, std::numeric_limits<int64_t>::max()})
      if (cell(sit.state, intents::timer(due), Actor::shell(), sit.now) != at_now)
        rules.problems.push_back("TimerFired{due_ms " + std::to_string(due) + "} differs in " + sit.name);
  }
  rules.table = render_rows(situations, rules.problems);
  return rules;
}

}  // namespace attune::contract
