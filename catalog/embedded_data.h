// The AWS catalog CSVs (ADZE_DATA_DIR/aws/instance-types.csv and
// zones-us-east-1.csv), embedded into the library at build time by
// cmake/embed_text.cmake (catalog/CMakeLists.txt). The definitions live in generated .cc files in the
// build directory.
// Thread-safety: the returned views are immutable and live for the whole
// program; the first call builds them (thread-safe static initialisation).
#pragma once

#include <string_view>

namespace adze::catalog {

// The text of instance-types.csv as it was at build time.
std::string_view EmbeddedInstanceTypesCsv();
// The text of zones-us-east-1.csv as it was at build time.
std::string_view EmbeddedZonesCsv();
// The directory the two files were read from at build time, for messages.
std::string_view EmbeddedDataSource();

}  // namespace adze::catalog
