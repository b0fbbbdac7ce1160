// HTTP basic authentication as supervisord checks it: one username, and a password either in
// plain text or as "{SHA}" followed by the hex SHA-1 of the password.
#pragma once

#include <string>
#include <string_view>

#include "superv/http/request.hpp"

namespace superv::http {

enum class Auth {
    Granted,
    Denied,     // no or wrong credentials, or another scheme: unauthorized_response()
    Malformed,  // "Basic" followed by what is not base64: error_response(request, 400), as medusa
};

// The comparisons take the same time whichever byte differs, so timing tells nothing of the
// username or the password.
Auth check_basic_auth(const Request& request, std::string_view username, std::string_view password);

// 401 with `WWW-Authenticate: Basic realm="default"`, the realm supervisord sends.
std::string unauthorized_response(const Request& request);

}  // namespace superv::http
