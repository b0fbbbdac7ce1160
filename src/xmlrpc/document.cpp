// expat's events to a Document: one Frame per open element; a finished
// value moves up into the frame that holds it.
#include "document.hpp"

#include <expat.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "scalar.hpp"
#include "tags.hpp"
#include "xml_text.hpp"

namespace superv::xmlrpc::detail {
namespace {

struct Frame {
    Tag tag = Tag::Unknown;
    std::string element;  // as written, for messages ("i4")
    std::string text;     // character data, in the elements whose text is data
    std::size_t children = 0;
    std::optional<Value> value;       // the typed value of a <value>; the value of a <param>,
                                      // <fault> or <member>; the array of an <array>
    std::optional<std::string> name;  // <member>
    Array items;                      // <params>, <data>
    Struct members;                   // <struct>
};

bool collects_text(const Frame& f) {
    switch (f.tag) {
        case Tag::Value:
            return f.children == 0;  // untyped: the text is the string
        case Tag::MethodName:
        case Tag::Name:
            return true;
        case Tag::Nil:
            return false;
        default:
            return is_scalar(f.tag);
    }
}

struct ParserFree {
    void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

class DocumentReader {
  public:
    DocumentReader(Root root, const Limits& limits)
        : parser_(XML_ParserCreate(nullptr)), root_(root), limits_(limits) {}

    std::variant<Document, ParseError> read(std::string_view xml);

  private:
    static DocumentReader& self(void* user) { return *static_cast<DocumentReader*>(user); }

    void start(std::string_view element);
    void end();
    void text(std::string_view data);
    std::string refusal(const Frame* parent, Tag tag, std::string_view element) const;
    void deliver(Value value);
    void fail(std::string message);
    std::string position() const;

    std::unique_ptr<XML_ParserStruct, ParserFree> parser_;
    Root root_;
    Limits limits_;
    std::vector<Frame> open_;
    Document document_;
    std::size_t depth_ = 0;  // <value> elements open
    std::size_t nodes_ = 0;  // <value> elements seen
    std::optional<std::string> error_;
};

std::variant<Document, ParseError> DocumentReader::read(std::string_view xml) {
    XML_Parser p = parser_.get();
    if (!p) return ParseError{"out of memory creating the XML parser"};
    XML_SetUserData(p, this);
    XML_SetElementHandler(
        p,
        [](void* user, const XML_Char* name, const XML_Char**) {
            if (!self(user).error_) self(user).start(name);
        },
        [](void* user, const XML_Char*) {
            if (!self(user).error_) self(user).end();
        });
    XML_SetCharacterDataHandler(p, [](void* user, const XML_Char* s, int len) {
        if (!self(user).error_) self(user).text({s, static_cast<std::size_t>(len)});
    });
    // XML-RPC has no DTD. Refusing the DOCTYPE as soon as it starts means no
    // entity is ever declared, so none is expanded (billion laughs) or
    // fetched (external entities); the entity handler is a second lock.
    XML_SetStartDoctypeDeclHandler(
        p, [](void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
            self(user).fail("a DOCTYPE is not allowed in XML-RPC");
        });
    XML_SetEntityDeclHandler(
        p, [](void* user, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
              const XML_Char*, const XML_Char*, const XML_Char*) {
            self(user).fail("an entity declaration is not allowed in XML-RPC");
        });

    // XML_Parse takes an int length: feed large documents in pieces.
    constexpr std::size_t kPiece = std::size_t{1} << 20;
    for (;;) {
        const std::size_t n = std::min(kPiece, xml.size());
        const bool last = n == xml.size();
        if (XML_Parse(p, xml.data(), static_cast<int>(n), last) != XML_STATUS_OK || error_) {
            if (error_) return ParseError{*error_};
            return ParseError{XML_ErrorString(XML_GetErrorCode(p)) + position()};
        }
        if (last) break;
        xml.remove_prefix(n);
    }
    return std::move(document_);
}

void DocumentReader::start(std::string_view element) {
    const Tag tag = tag_of(element);
    Frame* parent = open_.empty() ? nullptr : &open_.back();
    if (std::string why = refusal(parent, tag, element); !why.empty()) return fail(why);
    if (tag == Tag::Value) {
        if (++depth_ > limits_.max_depth)
            return fail("values nested deeper than " + std::to_string(limits_.max_depth));
        if (++nodes_ > limits_.max_nodes)
            return fail("more than " + std::to_string(limits_.max_nodes) + " values");
    }
    if (parent) {
        ++parent->children;
        if (parent->tag == Tag::Value) parent->text.clear();  // blank, checked by refusal()
    }
    Frame frame;
    frame.tag = tag;
    frame.element = element;
    open_.push_back(std::move(frame));
}

// Why `element` may not open inside `parent` (null: at the top), or "".
std::string DocumentReader::refusal(const Frame* parent, Tag tag, std::string_view element) const {
    // Messages are only built for a refusal: this runs for every element.
    const auto name = [&] { return "<" + std::string(element) + ">"; };
    if (!parent) {
        const Tag want = root_ == Root::Call ? Tag::MethodCall : Tag::MethodResponse;
        if (tag == want) return "";
        return std::string("expected ") +
               (want == Tag::MethodCall ? "<methodCall>" : "<methodResponse>") + ", found " +
               name();
    }
    const auto unexpected = [&] {
        return "unexpected " + name() + " in <" + parent->element + ">";
    };
    const std::size_t seen = parent->children;
    switch (parent->tag) {
        case Tag::MethodCall:
            if (tag == Tag::MethodName)
                return document_.method ? "two <methodName> in <methodCall>" : "";
            if (tag == Tag::Params) return document_.params ? "two <params> in <methodCall>" : "";
            return unexpected();
        case Tag::MethodResponse:
            if (tag != Tag::Params && tag != Tag::Fault) return unexpected();
            return seen ? "a <methodResponse> holds one <params> or one <fault>" : "";
        case Tag::Param:
        case Tag::Fault:
            if (tag != Tag::Value) return unexpected();
            return seen ? "two values in one <" + parent->element + ">" : "";
        case Tag::Value:
            if (!is_type(tag)) return "unknown type " + name();
            if (seen) return "two values in one <value>";
            return is_blank(parent->text) ? "" : "text and a typed value in one <value>";
        case Tag::Array:
            if (tag != Tag::Data) return unexpected();
            return seen ? "two <data> in one <array>" : "";
        case Tag::Member:
            if ((tag == Tag::Name && seen == 0) || (tag == Tag::Value && seen == 1)) return "";
            if (tag == Tag::Name || tag == Tag::Value)
                return "a struct <member> holds one <name>, then one <value>";
            return unexpected();
        case Tag::Params:
            return tag == Tag::Param ? "" : unexpected();
        case Tag::Data:
            return tag == Tag::Value ? "" : unexpected();
        case Tag::Struct:
            return tag == Tag::Member ? "" : unexpected();
        default:
            return unexpected();  // <methodName>, <name> and the scalars hold only text
    }
}

void DocumentReader::text(std::string_view data) {
    if (open_.empty()) return;
    Frame& f = open_.back();
    if (collects_text(f)) {
        f.text += data;
    } else if (!is_blank(data)) {
        fail(f.tag == Tag::Value ? "text and a typed value in one <value>"
                                 : "text in <" + f.element + ">");
    }
}

void DocumentReader::end() {
    Frame f = std::move(open_.back());
    open_.pop_back();
    switch (f.tag) {
        case Tag::MethodCall:
        case Tag::MethodResponse:
            return;
        case Tag::MethodName:
            document_.method = std::move(f.text);
            return;
        case Tag::Params:
            document_.params = std::move(f.items);
            return;
        case Tag::Fault:
            if (!f.value) return fail("<fault> without a <value>");
            document_.fault = std::move(f.value);
            return;
        case Tag::Param:
            if (!f.value) return fail("<param> without a <value>");
            open_.back().items.push_back(std::move(*f.value));
            return;
        case Tag::Value:
            --depth_;
            return deliver(f.value ? std::move(*f.value) : Value(std::move(f.text)));
        case Tag::Array:
            if (!f.value) return fail("<array> without <data>");
            open_.back().value = std::move(f.value);
            return;
        case Tag::Data:
            open_.back().value = Value(std::move(f.items));
            return;
        case Tag::Struct:
            open_.back().value = Value(std::move(f.members));
            return;
        case Tag::Member:
            if (!f.name) return fail("struct member without a <name>");
            if (!f.value) return fail("struct member \"" + *f.name + "\" without a <value>");
            open_.back().members.emplace_back(std::move(*f.name), std::move(*f.value));
            return;
        case Tag::Name:
            open_.back().name = std::move(f.text);
            return;
        default: {
            auto scalar = scalar_value(f.tag, f.element, std::move(f.text));
            if (auto* why = std::get_if<std::string>(&scalar)) return fail(std::move(*why));
            open_.back().value = std::move(std::get<Value>(scalar));
        }
    }
}

// A finished <value> to what holds it: a <param>, <fault>, <member> or <data>.
void DocumentReader::deliver(Value value) {
    Frame& holder = open_.back();
    if (holder.tag == Tag::Data)
        holder.items.push_back(std::move(value));
    else
        holder.value = std::move(value);
}

void DocumentReader::fail(std::string message) {
    if (error_) return;
    error_ = std::move(message) + position();
    XML_StopParser(parser_.get(), XML_FALSE);
}

// expat counts columns from 0; people (and editors) from 1.
std::string DocumentReader::position() const {
    return " at line " + std::to_string(XML_GetCurrentLineNumber(parser_.get())) + ", column " +
           std::to_string(XML_GetCurrentColumnNumber(parser_.get()) + 1);
}

}  // namespace

std::variant<Document, ParseError> read_document(std::string_view xml, Root root,
                                                 const Limits& limits) {
    return DocumentReader(root, limits).read(xml);
}

}  // namespace superv::xmlrpc::detail
