#include "model/requirement_expression.h"

#include <cctype>
#include <charconv>
#include <cstdint>

namespace adze::model {
namespace {

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/';
}
// Appends rather than chains operator+: GCC 12 misreports those chains (-Wrestrict).
std::string Quoted(std::string_view s) {
  std::string q;
  q.reserve(s.size() + 2);
  return q.append(1, '"').append(s).append(1, '"');
}

bool IsValueChar(char c) { return IsKeyChar(c) || c == ':' || c == '@' || c == '+' || c == '*'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<ParsedRequirement>> Parse() {
    std::vector<ParsedRequirement> out;
    SkipSpace();
    if (pos_ == text_.size()) return Fail(0, text_.size(), "empty requirement expression");
    while (true) {
      Result<ParsedRequirement> r = ParseOne();
      if (!r.ok()) return r.error();
      out.push_back(std::move(r).value());
      SkipSpace();
      if (pos_ == text_.size()) break;
      if (text_[pos_] != ',') return Fail(pos_, pos_ + 1, "expected ',' or the end of the expression");
      ++pos_;
      SkipSpace();
    }
    return out;
  }

 private:
  Result<ParsedRequirement> ParseOne() {
    bool negated = false;
    if (pos_ < text_.size() && text_[pos_] == '!') {
      negated = true;
      ++pos_;
      SkipSpace();
    }
    size_t key_begin = pos_;
    while (pos_ < text_.size() && IsKeyChar(text_[pos_])) ++pos_;
    size_t key_end = pos_;
    if (key_begin == key_end) {
      return Fail(key_begin, key_begin + 1, "expected a label key");
    }
    std::string key(text_.substr(key_begin, key_end - key_begin));
    auto make = [&](Operator op, std::vector<std::string> values) {
      return ParsedRequirement{Requirement(key, op, std::move(values)), key_begin, key_end};
    };
    SkipSpace();
    if (negated) return make(Operator::kDoesNotExist, {});
    if (pos_ == text_.size() || text_[pos_] == ',') return make(Operator::kExists, {});

    // Word operators: in / notin (any case).
    size_t word_begin = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string word;
    for (char c : text_.substr(word_begin, pos_ - word_begin)) word += static_cast<char>(std::tolower(c));
    if (!word.empty()) {
      Operator op;
      if (word == "in") {
        op = Operator::kIn;
      } else if (word == "notin") {
        op = Operator::kNotIn;
      } else {
        return Fail(word_begin, pos_,
                    std::string("unknown operator ")
                        .append(Quoted(text_.substr(word_begin, pos_ - word_begin)))
                        .append(" (expected in, notin, =, !=, >, >=, <, <=)"));
      }
      Result<std::vector<std::string>> values = ParseList();
      if (!values.ok()) return values.error();
      return make(op, std::move(values).value());
    }

    // Symbolic operators.
    size_t op_begin = pos_;
    while (pos_ < text_.size() && std::string_view("=!<>").find(text_[pos_]) != std::string_view::npos) ++pos_;
    std::string_view sym = text_.substr(op_begin, pos_ - op_begin);
    SkipSpace();
    size_t value_begin = pos_;
    while (pos_ < text_.size() && IsValueChar(text_[pos_])) ++pos_;
    std::string value(text_.substr(value_begin, pos_ - value_begin));
    if (sym.empty()) return Fail(op_begin, op_begin + 1, "expected an operator (in, notin, =, !=, >, >=, <, <=)");
    if (value.empty()) return Fail(value_begin, value_begin + 1, std::string("expected a value after ").append(Quoted(sym)));
    if (sym == "=" || sym == "==") return make(Operator::kIn, {value});
    if (sym == "!=") return make(Operator::kNotIn, {value});
    Operator op;
    if (sym == ">") op = Operator::kGt;
    else if (sym == ">=") op = Operator::kGte;
    else if (sym == "<") op = Operator::kLt;
    else if (sym == "<=") op = Operator::kLte;
    else return Fail(op_begin, op_begin + sym.size(), std::string("unknown operator ").append(Quoted(sym)));
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 0) {
      return Fail(value_begin, pos_, Quoted(sym).append(" needs a non-negative integer, found ").append(Quoted(value)));
    }
    return make(op, {value});
  }

  Result<std::vector<std::string>> ParseList() {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '(') return Fail(pos_, pos_ + 1, "expected '(' to open the value list");
    ++pos_;
    std::vector<std::string> values;
    while (true) {
      SkipSpace();
      size_t b = pos_;
      while (pos_ < text_.size() && IsValueChar(text_[pos_])) ++pos_;
      if (b == pos_) return Fail(b, b + 1, "expected a value");
      values.emplace_back(text_.substr(b, pos_ - b));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
        return values;
      }
      return Fail(pos_, pos_ + 1, "expected ',' or ')' in the value list");
    }
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  Error Fail(size_t begin, size_t end, const std::string& why) const {
    return Error::InvalidArgument(std::string(why).append("\n").append(PointAt(text_, begin, end)));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string PointAt(std::string_view text, size_t begin, size_t end) {
  if (begin > text.size()) begin = text.size();
  if (end <= begin) end = begin + 1;
  // Built with append: GCC 12 misreports operator+ chains here (-Wrestrict).
  std::string out;
  out.reserve(2 * text.size() + 8);
  out.append("  ").append(text).append("\n  ");
  out.append(begin, ' ').append(1, '^').append(end - begin - 1, '~');
  return out;
}

Result<std::vector<ParsedRequirement>> ParseRequirementExpression(std::string_view expression) {
  return Parser(expression).Parse();
}

}  // namespace adze::model
