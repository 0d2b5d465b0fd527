#include "cli/inputs.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace adze::cli {

Result<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error::Internal("cannot read " + path);
  return ss.str();
}

Result<codec::Manifests> LoadManifests(const std::vector<std::string>& paths) {
  codec::Manifests all;
  for (const std::string& path : paths) {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) return text.error();
    Result<codec::Manifests> m = codec::DecodeManifests(*text, path == "-" ? "<stdin>" : path);
    if (!m.ok()) return m.error();
    for (const codec::Diagnostic& w : m->warnings) std::cerr << "warning: " << w.ToString() << "\n";
    m->warnings.clear();
    all.Append(std::move(m).value());
  }
  return all;
}

}  // namespace adze::cli
