// Diagnostic: one positioned message about a manifest (an error or a
// warning), naming the file, the 1-based line and column, and the field path
// in Kubernetes' notation (spec.template.spec.requirements[2].operator,
// metadata.labels[app]).
// Thread-safety: value type.
#pragma once

#include <string>

namespace adze::codec {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string field;  // empty for document-level messages (syntax errors)
  std::string message;

  // "file:line:col: field: message"; the position and the field are left out
  // when unknown.
  std::string ToString() const;
};

}  // namespace adze::codec
