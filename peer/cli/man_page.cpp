#include "cli/man_page.hpp"

#include <algorithm>
#include <sstream>

namespace attune::cli {

namespace {

bool visible(const CLI::Option* o) { return !o->get_group().empty(); }
bool visible_app(const CLI::App* a) { return !a->get_group().empty() && !a->get_disabled(); }

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return visible(o); });
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* a) { return visible_app(a); });
}

bool takes_value(const CLI::Option* o) { return o->get_type_size_max() > 0 && o->get_expected_max() > 0; }

// "\fB\-v\fR, \fB\-\-verbose\fR \fIDIR\fR"
std::string option_term(const CLI::Option* o) {
  std::string out;
  auto add = [&](const std::string& name) {
    if (!out.empty()) out += ", ";
    out += "\\fB" + roff_escape(name) + "\\fR";
  };
  if (!o->nonpositional()) return "\\fI" + roff_escape(o->get_type_name()) + "\\fR";
  for (const auto& s : o->get_snames()) add("-" + s);
  for (const auto& l : o->get_lnames()) add("--" + l);
  if (takes_value(o)) out += " \\fI" + roff_escape(o->get_type_name()) + "\\fR";
  return out;
}

std::string option_text(const CLI::Option* o) {
  std::string text = o->get_description();
  if (o->get_required()) text += " (required)";
  if (!o->get_default_str().empty() && takes_value(o)) text += " (default: " + o->get_default_str() + ")";
  return roff_escape(text);
}

void write_options(std::ostream& out, const CLI::App& app) {
  for (const auto* o : visible_options(app)) {
    out << ".TP\n" << option_term(o) << "\n" << option_text(o) << "\n";
  }
}

std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* p = app.get_parent(); p; p = p->get_parent()) path = p->get_name() + " " + path;
  return path;
}

void write_commands(std::ostream& out, const CLI::App& app) {
  for (const auto* sub : visible_subcommands(app)) {
    std::string usage = "\\fB" + roff_escape(command_path(*sub)) + "\\fR";
    for (const auto* o : visible_options(*sub)) {
      if (!o->nonpositional()) usage += " \\fI" + roff_escape(o->get_type_name()) + "\\fR";
    }
    if (!visible_subcommands(*sub).empty()) usage += " [\\fIcommand\\fR]";
    out << ".SS \"" << roff_escape(command_path(*sub)) << "\"\n"
        << usage << " [\\fIoptions\\fR]\n.PP\n"
        << roff_escape(sub->get_description()) << "\n";
    write_options(out, *sub);
    write_commands(out, *sub);
  }
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string words(const std::vector<std::string>& list, const char* separator = " ") {
  std::string out;
  for (const auto& w : list) out += (out.empty() ? "" : separator) + w;
  return out;
}

void completion_case(std::ostream& out, const CLI::App& app, bool inherit_parent) {
  std::vector<std::string> opts, subs;
  for (const CLI::App* a = &app; a; a = a->get_parent()) {
    auto add = [&](const std::string& name) {
      if (std::find(opts.begin(), opts.end(), name) == opts.end()) opts.push_back(name);
    };
    for (const auto* o : visible_options(*a)) {
      for (const auto& s : o->get_snames()) add("-" + s);
      for (const auto& l : o->get_lnames()) add("--" + l);
    }
    if (!inherit_parent || !a->get_fallthrough()) break;
  }
  for (const auto* sub : visible_subcommands(app)) subs.push_back(sub->get_name());
  out << "    \"" << command_path(app) << "\") opts=\"" << words(opts) << "\"; subs=\"" << words(subs)
      << "\";;\n";
  for (const auto* sub : visible_subcommands(app)) completion_case(out, *sub, true);
}

void collect(const CLI::App& app, std::vector<std::string>& paths, std::map<std::string, std::string>& values,
             std::vector<std::string>& dirs) {
  for (const auto* o : visible_options(app)) {
    if (!takes_value(o) || !o->nonpositional()) continue;
    for (const auto& l : o->get_lnames()) {
      if (o->get_type_name() == "DIR") {
        dirs.push_back("--" + l);
      } else {
        values.emplace("--" + l, "");
      }
    }
  }
  for (const auto* sub : visible_subcommands(app)) {
    paths.push_back(command_path(*sub));
    collect(*sub, paths, values, dirs);
  }
}

}  // namespace

std::string roff_escape(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_man_page(const CLI::App& app, const ManPage& page) {
  std::ostringstream out;
  out << ".TH " << upper(page.name) << " 1 \"\" \"" << roff_escape(page.version) << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << roff_escape(page.name) << " \\- " << roff_escape(page.summary) << "\n"
      << ".SH SYNOPSIS\n.B " << roff_escape(page.name) << "\n[\\fIoptions\\fR]";
  if (!visible_subcommands(app).empty()) out << " [\\fIcommand\\fR [\\fIcommand options\\fR]]";
  out << "\n.SH DESCRIPTION\n";
  if (page.description.empty()) out << roff_escape(app.get_description()) << "\n";
  for (const auto& p : page.description) out << ".PP\n" << roff_escape(p) << "\n";
  out << ".SH OPTIONS\n";
  write_options(out, app);
  if (!visible_subcommands(app).empty()) {
    out << ".SH COMMANDS\n";
    write_commands(out, app);
  }
  for (const auto& s : page.sections) {
    out << ".SH " << roff_escape(s.title) << "\n";
    if (!s.intro.empty()) out << roff_escape(s.intro) << "\n";
    for (const auto& row : s.rows) {
      out << ".TP\n\\fB" << roff_escape(row.term) << "\\fR\n" << roff_escape(row.text) << "\n";
    }
  }
  return out.str();
}

std::string render_bash_completion(const CLI::App& app,
                                   const std::map<std::string, std::string>& value_words) {
  std::vector<std::string> paths;
  std::map<std::string, std::string> values;
  std::vector<std::string> dirs;
  collect(app, paths, values, dirs);
  for (const auto& [option, list] : value_words) values[option] = list;
  const std::string fn = "_" + app.get_name();
  std::ostringstream out;
  out << "# bash completion for " << app.get_name() << " (generated from its command-line definition)\n"
      << fn << "() {\n"
      << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path=" << app.get_name()
      << " i opts subs\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \"$path ${COMP_WORDS[i]}\" in\n";
  for (const auto& p : paths) out << "      \"" << p << "\") path=\"$path ${COMP_WORDS[i]}\";;\n";
  out << "    esac\n  done\n  case \"$prev\" in\n";
  if (!dirs.empty())
    out << "    " << words(dirs, "|") << ") COMPREPLY=($(compgen -d -- \"$cur\")); return;;\n";
  for (const auto& [option, list] : values) {
    out << "    " << option << ") COMPREPLY=("
        << (list.empty() ? "" : "$(compgen -W \"" + list + "\" -- \"$cur\")") << "); return;;\n";
  }
  out << "  esac\n  case \"$path\" in\n";
  completion_case(out, app, false);
  out << "  esac\n"
      << "  if [[ $cur == -* ]]; then\n"
      << "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
      << "  else\n"
      << "    COMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
      << "  fi\n"
      << "}\n"
      << "complete -F " << fn << " " << app.get_name() << "\n";
  return out.str();
}

}  // namespace attune::cli
