#include "catalog/embedded_data.h"

namespace adze::catalog {

// The text of the two CSVs is generated at build time (catalog/CMakeLists.txt);
// this says where it was read from.
std::string_view EmbeddedDataSource() { return ADZE_EMBEDDED_DATA_SOURCE; }

}  // namespace adze::catalog
