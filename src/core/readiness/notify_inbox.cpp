#include "superv/core/readiness/notify_inbox.hpp"

#include "superv/sys/proc_stat.hpp"

namespace superv::core::readiness {

std::vector<std::string> notify_environment(const std::string& socket_path, pid_t superv_pid) {
    return {"NOTIFY_SOCKET=" + socket_path, "MANAGERPID=" + std::to_string(superv_pid)};
}

std::optional<ProcessAncestry> proc_ancestry(pid_t pid) {
    auto stat = sys::read_proc_stat(pid);
    if (!stat) return std::nullopt;
    return ProcessAncestry{stat->parent, stat->start_time};
}

NotifyInbox::NotifyInbox(sys::NotifySocket socket, AncestryLookup lookup)
    : socket_(std::move(socket)), lookup_(std::move(lookup)) {}

Result<std::size_t> NotifyInbox::drain(const IsSupervised& is_supervised,
                                       const std::function<void(const NotifyEvent&)>& deliver,
                                       std::size_t budget) {
    std::size_t read = 0;
    while (read < budget) {
        auto received = socket_.receive();
        if (!received) return received.error();
        if (!received.value()) break;
        ++read;
        const sys::NotifyDatagram& datagram = *received.value();
        auto message = parse_notify_message(datagram.payload);
        if (!message) {
            ++drops_.garbage;
            continue;
        }
        // Nothing to act on (BARRIER=1 alone): not worth attributing, and its
        // sender may be gone already, since its fd closed at the receive.
        if (message->empty()) continue;
        const auto process = attribute_sender(datagram.pid, is_supervised, lookup_);
        if (!process) {
            ++drops_.unattributed;
            continue;
        }
        deliver(NotifyEvent{*process, datagram.pid, std::move(*message)});
    }
    return read;
}

NotifyDrops NotifyInbox::drops() const {
    NotifyDrops drops = drops_;
    drops.refused = socket_.dropped();
    return drops;
}

}  // namespace superv::core::readiness
