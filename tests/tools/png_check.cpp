// png_check FILE WIDTH HEIGHT: is this PNG a real picture of a window? It
// must load, be WIDTHxHEIGHT, and not be blank (a few hundred colours at
// least, as text and widgets give). Prints what it found; exit 1 if not.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <set>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: png_check FILE WIDTH HEIGHT\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(argv[1], &w, &h, &n, 3);
  if (!data) {
    std::fprintf(stderr, "png_check: can't read %s as a PNG\n", argv[1]);
    return 1;
  }
  std::set<unsigned> colours;
  for (long i = 0; i < static_cast<long>(w) * h; ++i) {
    const unsigned char* p = data + i * 3;
    colours.insert(static_cast<unsigned>(p[0]) << 16 | static_cast<unsigned>(p[1]) << 8 | p[2]);
  }
  stbi_image_free(data);
  std::printf("%s: %dx%d, %zu colours\n", argv[1], w, h, colours.size());
  const bool right_size = w == std::atoi(argv[2]) && h == std::atoi(argv[3]);
  const bool drawn = colours.size() >= 100;
  if (!right_size) std::fprintf(stderr, "png_check: expected %sx%s\n", argv[2], argv[3]);
  if (!drawn) std::fprintf(stderr, "png_check: the picture is (nearly) blank\n");
  return right_size && drawn ? 0 : 1;
}
