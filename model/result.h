// Result<T>: a value or an Error. Expected failures (bad input, a cloud that
// is out of capacity) travel as values; exceptions stay at the boundaries.
// Thread-safety: value types, no shared state.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "model/check.h"

namespace adze {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kInsufficientCapacity,
  kThrottled,
  kUnavailable,
  kInternal,
  kDeadlineExceeded,  // the call's deadline passed before it completed
  kConflict,          // the object changed under the caller (a stale version)
  kAlreadyExists,
  kPermissionDenied,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error InsufficientCapacity(std::string m) {
    return {ErrorCode::kInsufficientCapacity, std::move(m)};
  }
  static Error Throttled(std::string m) { return {ErrorCode::kThrottled, std::move(m)}; }
  static Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
  static Error DeadlineExceeded(std::string m) { return {ErrorCode::kDeadlineExceeded, std::move(m)}; }
  static Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
  static Error PermissionDenied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  const T& value() const& {
    ADZE_CHECK(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    ADZE_CHECK(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    ADZE_CHECK(ok());
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const {
    ADZE_CHECK(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Status: a Result with no value.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace adze
