// Where this device keeps its data (store, identity, history, window
// places, recent hosts) when --data-dir does not say: the one rule, for the
// window app, the headless peer and attune-discovery alike.
//
// $XDG_DATA_HOME/attune, else $HOME/.local/share/attune. A variable that is
// unset, empty or not an absolute path counts as not set (as the XDG base
// directory spec asks). With neither, there is no default: the caller says
// so (no_data_folder_message) rather than scatter private files in /tmp or
// the current folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace attune {

// The rule itself, given the two variables' values (null when unset).
std::optional<std::filesystem::path> default_data_folder(const char* xdg_data_home, const char* home);

// The folder to use: `chosen` (from --data-dir) when not empty, else the
// default from this process's environment.
std::optional<std::filesystem::path> data_folder(const std::string& chosen);

// What to tell the person when there is no folder to use.
std::string no_data_folder_message();

}  // namespace attune
