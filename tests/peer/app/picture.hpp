// A saved PNG read back with stb, to check the colour drawn at a point.
#pragma once

#include <imgui.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

namespace attune::app::test {

class Picture {
 public:
  explicit Picture(const std::string& path)
      : pixels_(stbi_load(path.c_str(), &w_, &h_, &n_, 3), stbi_image_free) {}
  bool loaded() const { return pixels_ != nullptr; }
  ImU32 at(float x, float y) const {
    const int px = std::clamp(static_cast<int>(x), 0, w_ - 1);
    const int py = std::clamp(static_cast<int>(y), 0, h_ - 1);
    const unsigned char* p = pixels_.get() + (static_cast<std::size_t>(py) * w_ + px) * 3;
    return IM_COL32(p[0], p[1], p[2], 255);
  }

 private:
  int w_ = 0, h_ = 0, n_ = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels_;
};

// Two colours a person can't tell apart (each channel within 6).
inline bool near(ImU32 a, ImU32 b) {
  for (int shift : {0, 8, 16}) {
    const int x = static_cast<int>((a >> shift) & 0xFF), y = static_cast<int>((b >> shift) & 0xFF);
    if (std::abs(x - y) > 6) return false;
  }
  return true;
}

}  // namespace attune::app::test
