// A log sink that neutralizes every message before it reaches the terminal:
// log lines often quote what another device sent (an Error frame, a version
// string, a name), and none of it may move the cursor, retitle the terminal
// or clear the screen (see attune::sanitize_display_text).
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>

#include "attune/text.hpp"

namespace attune {

class SanitizingSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit SanitizingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string clean = sanitize_display_text(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
    inner_->log(copy);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

// Makes the default logger write to stderr through a SanitizingSink.
inline void log_to_stderr_sanitized(const std::string& name) {
  auto sink = std::make_shared<SanitizingSink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(name, sink));
}

}  // namespace attune
