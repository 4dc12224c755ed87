// The window's title: it names the session, so the dock, the task switcher
// and a screen reader say which talk this window is.
#pragma once

#include <string>

#include "attune/engine.hpp"

namespace attune::app {

// "Sunday talk — Attune" once in a named session; base alone otherwise.
std::string window_title(const std::string& base, const State* state);

}  // namespace attune::app
