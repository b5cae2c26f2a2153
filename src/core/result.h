// Result<T>: a value or an Error, shaped like C++23 std::expected so it can
// become an alias later. Fallible calls across modules return it instead of
// throwing (see STYLE.md, "Errors").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace newsdesk {

enum class ErrorCode {
  kNotFound,
  kInvalid,
  kConflict,
  kUnauthorized,     // who is asking is not known (no or wrong credentials)
  kForbidden,        // known, but not allowed to do this
  kTooManyRequests,  // throttled: try again later
  kUnavailable,
  kInternal,
};

// Returns a stable lower-case name, e.g. "not found".
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Names the module first: "store/sqlite: insert item: UNIQUE constraint failed".
  std::string message;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // REQUIRES: has_value()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !has_value()
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !has_value()
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Prefixes the error's message with context, keeping its code.
inline Error wrap_error(const Error& e, std::string_view context) {
  return Error{e.code, std::string(context) + ": " + e.message};
}

}  // namespace newsdesk
