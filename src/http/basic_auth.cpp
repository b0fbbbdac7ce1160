#include "superv/http/basic_auth.hpp"

#include <nettle/base16.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include <array>
#include <cstdint>
#include <optional>

#include "ascii.hpp"
#include "superv/common/base64.hpp"
#include "superv/http/response.hpp"

namespace superv::http {
namespace {

using Digest = std::array<std::uint8_t, SHA1_DIGEST_SIZE>;

Digest sha1(std::string_view text) {
    sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
    Digest digest;
    sha1_digest(&ctx, digest.size(), digest.data());
    return digest;
}

// Compares digests rather than the texts, so neither where they differ nor their lengths show in
// the time it takes.
bool same_secret(std::string_view a, std::string_view b) {
    const Digest x = sha1(a), y = sha1(b);
    return memeql_sec(x.data(), y.data(), x.size()) == 1;
}

// supervisord's rule: "{SHA}" followed by the lowercase hex SHA-1 of the password, else the
// password itself.
bool password_matches(std::string_view given, std::string_view stored) {
    constexpr std::string_view kShaPrefix = "{SHA}";
    if (!stored.starts_with(kShaPrefix)) return same_secret(given, stored);
    const Digest digest = sha1(given);
    std::string hex(BASE16_ENCODE_LENGTH(digest.size()), '\0');
    base16_encode_update(hex.data(), digest.size(), digest.data());
    return same_secret(hex, stored.substr(kShaPrefix.size()));
}

}  // namespace

Auth check_basic_auth(const Request& request, std::string_view username,
                      std::string_view password) {
    const std::string* header = request.header("Authorization");
    if (header == nullptr) return Auth::Denied;
    const std::string_view value = trim_whitespace(*header);
    const auto space = value.find(' ');
    if (space == std::string_view::npos || !iequals(value.substr(0, space), "Basic"))
        return Auth::Denied;
    const auto credentials = base64_decode(trim_whitespace(value.substr(space + 1)));
    if (!credentials) return Auth::Malformed;
    // medusa answers 500 here (its unpacking of the split fails); no colon is no credentials.
    const auto colon = credentials->find(':');
    if (colon == std::string::npos) return Auth::Denied;
    const std::string_view given = *credentials;
    // Both compared, so a right username takes no longer to refuse than a wrong one.
    const bool user_ok = same_secret(given.substr(0, colon), username);
    const bool password_ok = password_matches(given.substr(colon + 1), password);
    return user_ok && password_ok ? Auth::Granted : Auth::Denied;
}

std::string unauthorized_response(const Request& request) {
    return error_response(request, 401, {{"WWW-Authenticate", "Basic realm=\"default\""}});
}

}  // namespace superv::http
