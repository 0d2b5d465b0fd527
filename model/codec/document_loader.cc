#include "model/codec/document_loader.h"

#include <cmath>
#include <cstdlib>
#include <functional>
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "model/codec/yaml_field.h"

namespace adze::codec {
namespace {

// Skips a UTF-8 byte-order mark, which editors on some systems add.
std::string_view StripBom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

[[noreturn]] void ThrowSyntax(std::string_view file_name, int line, int column, std::string message) {
  Diagnostic d;
  d.file = std::string(file_name);
  d.line = line;
  d.column = column;
  d.message = std::move(message);
  throw DecodeError(std::move(d));
}

// nlohmann reports the byte count read when it failed (1-based position of
// the offending byte); turn that into 1-based line:column.
std::pair<int, int> LineColumn(std::string_view text, size_t byte) {
  size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(end - line_start) + 1};
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line
// 2, column 7: syntax error while parsing value - unexpected '}'; ...". Keep
// the part after the position; we print our own position.
// The byte offset of the first JSON number whose value overflows a double,
// or 0 when none is found (then the message points at the file's start).
size_t FirstHugeNumber(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < text.size() && std::string_view("+-.eE0123456789").find(text[end]) != std::string_view::npos) ++end;
      std::string number(text.substr(i, end - i));
      char* stop = nullptr;
      double v = std::strtod(number.c_str(), &stop);
      if (std::isinf(v)) return i;
      i = end - 1;
    }
  }
  return 0;
}

std::string JsonReason(const std::string& what) {
  // out_of_range and other non-parse errors carry no position: drop only
  // nlohmann's "[json.exception.…] " tag.
  if (what.starts_with("[json.exception.out_of_range")) {
    size_t tag_end = what.find("] ");
    if (tag_end != std::string::npos) return "invalid JSON: " + what.substr(tag_end + 2);
  }
  size_t at = what.find("column ");
  if (at != std::string::npos) {
    size_t colon = what.find(": ", at);
    if (colon != std::string::npos) return "invalid JSON: " + what.substr(colon + 2);
  }
  return "invalid JSON: " + what;
}

void CheckJson(std::string_view text, std::string_view file_name) {
  try {
    // Only the syntax check matters; the tree is built by yaml-cpp below.
    nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = LineColumn(text, e.byte);
    ThrowSyntax(file_name, line, column, JsonReason(e.what()));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406: a number too large for a double ("1e999"). nlohmann
    // gives no position for it, so point at the first such number ourselves.
    auto [line, column] = LineColumn(text, FirstHugeNumber(text) + 1);
    ThrowSyntax(file_name, line, column, JsonReason(e.what()));
  }
}

// A scan of the stream, before yaml-cpp builds any tree, that proves two
// things the tree builder does not:
//
// 1. It ends. yaml-cpp 0.7 can loop for ever on some malformed streams (its
//    issue 1040, fixed upstream but not in Debian bookworm; a stream holding
//    just ",\n"): the document parser emits a null for a token it cannot use
//    without consuming it, and LoadAll asks for the next document at the
//    same token again, collecting null documents until memory runs out. The
//    scan requires every document to start strictly after the previous one;
//    the input is finite, so it stops after at most text.size() + 1
//    documents, and so does the load after it.
// 2. Aliases do not multiply the work. yaml-cpp shares an aliased node, but
//    decoders walk the tree as written out, so ten nested levels of ten
//    aliases each ("billion laughs") would cost 10^10 visits. The scan counts
//    the nodes each anchor stands for and fails once aliases add more than
//    kMaxAliasedNodes in a document (the Go YAML library that kubectl uses
//    refuses such "excessive aliasing" too).
// It builds no tree (events are counted, then dropped), so it costs a scan
// of the text, not a load.
class StreamGuard : public YAML::EventHandler {
 public:
  explicit StreamGuard(std::string_view text) : text_(text) {}

  // Where each document started, in order.
  const std::vector<YAML::Mark>& starts() const { return starts_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (started_ && mark.pos <= last_.pos) {
      throw YAML::ParserException(mark, "unexpected '" + std::string(1, Peek(mark)) + "' where a value should start");
    }
    started_ = true;
    last_ = mark;
    starts_.push_back(mark);
    anchored_.clear();
    aliased_ = 0;
    open_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { Leaf(anchor); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    Leaf(anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchored_.find(anchor);
    const uint64_t size = it == anchored_.end() ? 1 : it->second;
    aliased_ += size;
    if (aliased_ > kMaxAliasedNodes) {
      throw YAML::ParserException(mark, "aliases expand to more than " + std::to_string(kMaxAliasedNodes) +
                                            " nodes (excessive aliasing)");
    }
    Add(size);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnMapEnd() override { Close(); }

 private:
  static constexpr uint64_t kMaxAliasedNodes = 1'000'000;

  struct Open {
    YAML::anchor_t anchor;
    uint64_t size;  // nodes under it so far, aliases written out
  };

  void Add(uint64_t size) {
    if (!open_.empty()) open_.back().size = std::min(open_.back().size + size, kSaturated);
  }
  void Leaf(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchored_[anchor] = 1;
    Add(1);
  }
  void Close() {
    Open done = open_.back();
    open_.pop_back();
    if (done.anchor != YAML::NullAnchor) anchored_[done.anchor] = done.size;
    Add(done.size);
  }
  char Peek(const YAML::Mark& mark) const {
    return mark.pos >= 0 && static_cast<size_t>(mark.pos) < text_.size() ? text_[mark.pos] : '?';
  }

  static constexpr uint64_t kSaturated = uint64_t{1} << 62;
  std::string_view text_;
  bool started_ = false;
  YAML::Mark last_;
  std::map<YAML::anchor_t, uint64_t> anchored_;
  uint64_t aliased_ = 0;
  std::vector<Open> open_;
  std::vector<YAML::Mark> starts_;
};

// Returns where each document starts.
std::vector<YAML::Mark> CheckYamlStream(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  StreamGuard guard(text);
  while (parser.HandleNextDocument(guard)) {
  }
  return guard.starts();
}

// A yaml-cpp syntax error as a DecodeError; line_offset: lines of the file
// before the text that was parsed.
[[noreturn]] void ThrowYaml(const YAML::ParserException& e, std::string_view file_name, int line_offset) {
  const int line = e.mark.is_null() ? 0 : e.mark.line + 1 + line_offset;
  const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
  if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    // yaml-cpp's own message is "bad file"; say what the limit is.
    ThrowSyntax(file_name, line, column,
                "invalid YAML: nested deeper than " + std::to_string(deep->depth() - 1) + " levels");
  }
  ThrowSyntax(file_name, line, column, "invalid YAML: " + e.msg);
}

}  // namespace

bool LooksLikeJson(std::string_view text) {
  text = StripBom(text);
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

std::vector<YAML::Node> LoadDocuments(std::string_view text, std::string_view file_name) {
  text = StripBom(text);
  if (LooksLikeJson(text)) CheckJson(text, file_name);
  std::vector<YAML::Node> docs;
  try {
    std::string owned(text);
    CheckYamlStream(owned);
    for (YAML::Node& doc : YAML::LoadAll(owned)) {
      if (doc.IsDefined() && !doc.IsNull()) docs.push_back(doc);
    }
  } catch (const YAML::ParserException& e) {
    ThrowYaml(e, file_name, 0);
  }
  return docs;
}

void ForEachDocument(std::string_view text, std::string_view file_name,
                     const std::function<void(const YAML::Node&, int line_offset)>& visit) {
  text = StripBom(text);
  if (LooksLikeJson(text)) CheckJson(text, file_name);
  const std::string owned(text);
  std::vector<YAML::Mark> starts;
  try {
    starts = CheckYamlStream(owned);
  } catch (const YAML::ParserException& e) {
    ThrowYaml(e, file_name, 0);
  }
  // Each document is loaded from the start of the line it starts on (the
  // first from the start of the file, for directives and comments) to where
  // the next begins, so columns are unchanged and lines shift by the lines
  // before it.
  std::vector<std::pair<size_t, int>> pieces;  // (byte, line) where each piece begins
  for (size_t i = 0; i < starts.size(); ++i) {
    if (i == 0) {
      pieces.emplace_back(0, 0);
      continue;
    }
    const size_t pos = static_cast<size_t>(std::max(starts[i].pos, 0));
    const size_t line_start = pos == 0 ? 0 : owned.rfind('\n', pos - 1) + 1;  // npos + 1 == 0
    if (line_start > pieces.back().first) pieces.emplace_back(line_start, starts[i].line);
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    const size_t begin = pieces[i].first;
    const size_t end = i + 1 < pieces.size() ? pieces[i + 1].first : owned.size();
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(owned.substr(begin, end - begin));
    } catch (const YAML::ParserException& e) {
      ThrowYaml(e, file_name, pieces[i].second);
    }
    for (const YAML::Node& doc : docs) {
      if (doc.IsDefined() && !doc.IsNull()) visit(doc, pieces[i].second);
    }
  }
}

}  // namespace adze::codec
