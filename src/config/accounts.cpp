#include "accounts.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace superv::config::detail {
namespace {

std::size_t lookup_buffer_size() {
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    return size > 0 ? static_cast<std::size_t>(size) : 16384;
}

// getpwnam_r/getgrnam_r rather than getpwnam: the daemon reloads configs
// while other threads may resolve names too. Retries with a larger buffer
// on ERANGE (large NSS groups). Returns the entry's id, the only part needed.
template <class Entry, class Id, class Lookup>
std::optional<Id> lookup_id(const std::string& name, Lookup lookup_r, Id Entry::*id, int& error) {
    std::vector<char> buffer(lookup_buffer_size());
    for (;;) {
        Entry entry{};
        Entry* found = nullptr;
        error = lookup_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
        if (error == ERANGE && buffer.size() < (1u << 24)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (found) return found->*id;
        return std::nullopt;
    }
}

std::string not_found(const char* kind, const std::string& name, int error) {
    std::string message = "unknown " + std::string(kind) + " " + quote(name);
    // 0, ENOENT, ESRCH, EBADF, EPERM all mean "no such entry" for getpwnam_r;
    // anything else is an NSS failure worth showing.
    if (error != 0 && error != ENOENT && error != ESRCH && error != EBADF && error != EPERM) {
        message += " (" + std::string(std::strerror(error)) + ")";
    }
    return message;
}

}  // namespace

Identity Identity::current() {
    return Identity{geteuid(), getegid(), Privileges::current()};
}

std::optional<std::string> read_user(const Field& field) {
    auto name = read_string(field);
    if (!name) return std::nullopt;
    int error = 0;
    auto uid = lookup_id(*name, getpwnam_r, &passwd::pw_uid, error);
    if (!uid) {
        field.error(not_found("user", *name, error));
        return std::nullopt;
    }
    const Identity& self = field.ctx.identity;
    if (self.uid != 0 && *uid != self.uid) {
        field.error("superv runs as uid " + std::to_string(self.uid) +
                    " and cannot switch to user " + quote(*name) + " (uid " + std::to_string(*uid) +
                    "); run superv as root or drop " + quote(field.key));
        return std::nullopt;
    }
    return name;
}

std::optional<std::string> read_group(const Field& field, bool must_switch) {
    auto name = read_string(field);
    if (!name) return std::nullopt;
    int error = 0;
    auto gid = lookup_id(*name, getgrnam_r, &group::gr_gid, error);
    if (!gid) {
        field.error(not_found("group", *name, error));
        return std::nullopt;
    }
    const Identity& self = field.ctx.identity;
    if (must_switch && self.uid != 0 && *gid != self.gid) {
        field.error("superv runs as uid " + std::to_string(self.uid) + " (gid " +
                    std::to_string(self.gid) + ") and cannot switch to group " + quote(*name) +
                    " (gid " + std::to_string(*gid) + "); run superv as root or drop " +
                    quote(field.key));
        return std::nullopt;
    }
    return name;
}

namespace {

// An entry by name, or by number when the text is all digits.
template <class Entry, class Id, class ByName, class ById>
std::optional<Account> find_account(const std::string& name_or_id, const char* kind, ByName by_name,
                                    ById by_id, char* Entry::*name_field, Id Entry::*id_field,
                                    std::string& problem) {
    const bool numeric = !name_or_id.empty() &&
                         name_or_id.find_first_not_of("0123456789") == std::string::npos &&
                         name_or_id.size() < 10;
    std::vector<char> buffer(lookup_buffer_size());
    int error = 0;
    for (;;) {
        Entry entry{};
        Entry* found = nullptr;
        error = numeric ? by_id(static_cast<Id>(std::stoul(name_or_id)), &entry, buffer.data(),
                                buffer.size(), &found)
                        : by_name(name_or_id.c_str(), &entry, buffer.data(), buffer.size(), &found);
        if (error == ERANGE && buffer.size() < (1u << 24)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (found) return Account{found->*name_field, static_cast<unsigned>(found->*id_field)};
        break;
    }
    problem = numeric ? "unknown " + std::string(kind) + " id " + name_or_id
                      : not_found(kind, name_or_id, error);
    return std::nullopt;
}

}  // namespace

std::optional<Account> find_user(const std::string& name_or_id, std::string& problem) {
    return find_account<passwd, uid_t>(name_or_id, "user", getpwnam_r, getpwuid_r, &passwd::pw_name,
                                       &passwd::pw_uid, problem);
}

std::optional<Account> find_group(const std::string& name_or_id, std::string& problem) {
    return find_account<group, gid_t>(name_or_id, "group", getgrnam_r, getgrgid_r, &group::gr_name,
                                      &group::gr_gid, problem);
}

}  // namespace superv::config::detail
