// Basic auth with supervisord's password rules.
#include "superv/http/basic_auth.hpp"

#include <gtest/gtest.h>

#include "superv/http/response.hpp"

namespace superv::http {
namespace {

constexpr std::string_view kSha = "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d";  // "thepassword"

Request with_authorization(std::string value) {
    Request r;
    r.method = "POST";
    r.headers.push_back({"Authorization", std::move(value)});
    return r;
}

// The base64 of "user:thepassword".
const Request kRight = with_authorization("Basic dXNlcjp0aGVwYXNzd29yZA==");

TEST(BasicAuth, GrantsTheRightPlainPassword) {
    EXPECT_EQ(check_basic_auth(kRight, "user", "thepassword"), Auth::Granted);
}

TEST(BasicAuth, GrantsThePasswordWhoseShaIsStored) {
    EXPECT_EQ(check_basic_auth(kRight, "user", kSha), Auth::Granted);
}

TEST(BasicAuth, DeniesAWrongPassword) {
    const Request wrong = with_authorization("Basic dXNlcjp3cm9uZw==");  // user:wrong
    EXPECT_EQ(check_basic_auth(wrong, "user", "thepassword"), Auth::Denied);
    EXPECT_EQ(check_basic_auth(wrong, "user", kSha), Auth::Denied);
    EXPECT_EQ(check_basic_auth(kRight, "user", "thepasswor"), Auth::Denied);
    EXPECT_EQ(check_basic_auth(kRight, "user", "thepassword2"), Auth::Denied);
}

TEST(BasicAuth, DeniesAWrongUser) {
    const Request other = with_authorization("Basic b3RoZXI6dGhlcGFzc3dvcmQ=");  // other:...
    EXPECT_EQ(check_basic_auth(other, "user", "thepassword"), Auth::Denied);
    EXPECT_EQ(check_basic_auth(kRight, "admin", "thepassword"), Auth::Denied);
}

TEST(BasicAuth, ComparesTheShaAsSupervisordDoes) {
    // supervisord compares the lowercase hexdigest with what follows "{SHA}" as it is.
    EXPECT_EQ(check_basic_auth(kRight, "user", "{SHA}82AB876D1387BFAFE46CC1C8A2EF074EAE50CB1D"),
              Auth::Denied);
    // Without the prefix a hash is a plain password.
    EXPECT_EQ(check_basic_auth(kRight, "user", kSha.substr(5)), Auth::Denied);
}

TEST(BasicAuth, MalformedBase64IsMalformed) {
    EXPECT_EQ(check_basic_auth(with_authorization("Basic !!!!"), "user", "p"), Auth::Malformed);
    EXPECT_EQ(check_basic_auth(with_authorization("Basic dXNlcjp0aGVwYXNzd29yZA"), "user", "p"),
              Auth::Malformed);  // padding missing
}

TEST(BasicAuth, NoHeaderIsDenied) {
    EXPECT_EQ(check_basic_auth(Request{}, "user", "thepassword"), Auth::Denied);
}

TEST(BasicAuth, CredentialsWithoutAColonAreDenied) {
    const Request no_colon = with_authorization("Basic dXNlcnRoZXBhc3N3b3Jk");  // userthepassword
    EXPECT_EQ(check_basic_auth(no_colon, "user", "thepassword"), Auth::Denied);
    EXPECT_EQ(check_basic_auth(with_authorization("Basic "), "user", ""), Auth::Denied);
    EXPECT_EQ(check_basic_auth(with_authorization("Basic"), "user", ""), Auth::Denied);
}

TEST(BasicAuth, OtherSchemesAreDenied) {
    EXPECT_EQ(check_basic_auth(with_authorization("Bearer dXNlcjp0aGVwYXNzd29yZA=="), "user",
                               "thepassword"),
              Auth::Denied);
}

TEST(BasicAuth, SchemeAndHeaderNameIgnoreCase) {
    Request r;
    r.headers.push_back({"authorization", "basic  dXNlcjp0aGVwYXNzd29yZA== "});
    EXPECT_EQ(check_basic_auth(r, "user", "thepassword"), Auth::Granted);
}

TEST(BasicAuth, PasswordMayContainAColonOrBeEmpty) {
    EXPECT_EQ(check_basic_auth(with_authorization("Basic dXNlcjpwYTpzcw=="), "user", "pa:ss"),
              Auth::Granted);
    EXPECT_EQ(check_basic_auth(with_authorization("Basic dXNlcjo="), "user", ""), Auth::Granted);
}

TEST(UnauthorizedResponse, AsksForBasicAuthInTheDefaultRealm) {
    Request r;
    const std::string bytes = unauthorized_response(r);
    EXPECT_TRUE(bytes.starts_with("HTTP/1.1 401 Unauthorized\r\n")) << bytes;
    EXPECT_NE(bytes.find("\r\nWWW-Authenticate: Basic realm=\"default\"\r\n"), std::string::npos);
    EXPECT_NE(bytes.find("Error code 401."), std::string::npos);
}

}  // namespace
}  // namespace superv::http
