#include "superv/loop/timer_heap.hpp"

namespace superv::loop {

bool TimerHeap::push(std::uint64_t tag, Clock::time_point deadline) {
    if (index_.contains(tag)) return false;
    heap_.push_back(Entry{deadline, tag});
    index_[tag] = heap_.size() - 1;
    sift_up(heap_.size() - 1);
    return true;
}

bool TimerHeap::erase(std::uint64_t tag) {
    auto it = index_.find(tag);
    if (it == index_.end()) return false;
    remove_at(it->second);
    return true;
}

void TimerHeap::pop_due(Clock::time_point now, std::vector<std::uint64_t>& out) {
    while (!heap_.empty() && heap_.front().deadline <= now) {
        out.push_back(heap_.front().tag);
        remove_at(0);
    }
}

void TimerHeap::place(std::size_t pos, const Entry& entry) {
    heap_[pos] = entry;
    index_[entry.tag] = pos;
}

void TimerHeap::sift_up(std::size_t pos) {
    const Entry moving = heap_[pos];
    while (pos > 0) {
        const std::size_t parent = (pos - 1) / 2;
        if (!before(moving, heap_[parent])) break;
        place(pos, heap_[parent]);
        pos = parent;
    }
    place(pos, moving);
}

void TimerHeap::sift_down(std::size_t pos) {
    const Entry moving = heap_[pos];
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t child = 2 * pos + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
        if (!before(heap_[child], moving)) break;
        place(pos, heap_[child]);
        pos = child;
    }
    place(pos, moving);
}

void TimerHeap::remove_at(std::size_t pos) {
    index_.erase(heap_[pos].tag);
    const std::size_t last = heap_.size() - 1;
    if (pos == last) {
        heap_.pop_back();
        return;
    }
    const Entry moved = heap_[last];
    heap_.pop_back();
    place(pos, moved);
    // The entry moved in from the end may belong above or below its new spot.
    sift_up(pos);
    if (index_[moved.tag] == pos) sift_down(pos);
}

}  // namespace superv::loop
