// XML-RPC documents to values and back: the codec behind supervisord's
// interface (POST /RPC2), so supervisorctl and Python's xmlrpc.client work
// unchanged. Pure functions, no I/O; the HTTP layer caps the body size.
//
// Decoding accepts what supervisord's decoder and Python's xmlrpc.client
// accept: <int>, <i4>, <i8>, <boolean> 0/1, <string>, untyped
// <value>text</value> and empty <value/> (strings), <double>,
// <dateTime.iso8601>, <base64>, <array><data>, <struct><member><name><value>,
// <nil/>, a <methodCall> without <params> (no parameters). Whitespace between
// elements is ignored, inside strings kept; any encoding expat knows (UTF-8,
// UTF-16, ISO-8859-1, US-ASCII). Numbers and booleans may be surrounded by
// whitespace; attributes, comments and processing instructions are ignored.
//
// It refuses, with one line naming the line and column (1-based):
// malformed XML; any DOCTYPE or entity declaration (refused before anything
// is expanded, so no entity bomb and no external entity is ever read);
// unknown elements; wrong structure; non-numeric or out-of-range numbers;
// booleans other than 0/1; invalid base64; values nested deeper than
// Limits::max_depth or more than Limits::max_nodes values. Memory is bounded
// by the input size and those limits.
//
// Encoding writes what Python's xmlrpc.client.dumps(..., methodresponse=True)
// writes, line for line, so responses look like supervisord's. Every string
// (values, member names, fault messages) is made valid XML 1.0 text first,
// because log data from programs can contain anything and a client must
// never receive unparseable XML: invalid UTF-8 becomes U+FFFD (one per
// maximal invalid sequence, as Python's errors="replace"), and so do the
// characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE,
// U+FFFF). A CR is written as &#13; so that it survives the parser's
// line-end normalisation (Python writes it raw and the client reads LF).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "superv/xmlrpc/value.hpp"

namespace superv::xmlrpc {

struct MethodCall {
    std::string method;
    Array params;
    bool operator==(const MethodCall&) const = default;
};

// <fault>: supervisord's RPCError code and text (faultCode, faultString).
struct Fault {
    int code = 0;
    std::string message;
    bool operator==(const Fault&) const = default;
};

struct Limits {
    std::size_t max_depth = 32;      // a parameter is depth 1, a member of it depth 2, ...
    std::size_t max_nodes = 200000;  // <value> elements in the whole document
};

// One line for people, e.g. "not well-formed (invalid token) at line 1, column 6".
struct ParseError {
    std::string message;
};

// A <methodCall>. Its <methodName> must be present and non-empty, as
// supervisord answers 400 otherwise.
std::variant<MethodCall, ParseError> parse_call(std::string_view xml, const Limits& limits = {});

// A <methodResponse>: its one parameter, or its fault.
std::variant<Value, Fault, ParseError> parse_response(std::string_view xml,
                                                      const Limits& limits = {});

std::string encode_call(const MethodCall& call);
std::string encode_response(const Value& value);
std::string encode_fault(const Fault& fault);

}  // namespace superv::xmlrpc
