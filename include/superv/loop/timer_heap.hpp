// The epoll backend's timers: a min-heap by (deadline, tag) with an index from
// tag to heap position, so cancelling one of thousands of grace timers is
// O(log n) rather than a scan. One timerfd follows the earliest deadline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "superv/loop/backend.hpp"

namespace superv::loop {

class TimerHeap {
  public:
    // False (and nothing changes) when `tag` is already in the heap.
    bool push(std::uint64_t tag, Clock::time_point deadline);
    // False when `tag` is not in the heap.
    bool erase(std::uint64_t tag);
    bool contains(std::uint64_t tag) const { return index_.contains(tag); }

    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    // The earliest deadline; the heap must not be empty.
    Clock::time_point earliest() const { return heap_.front().deadline; }

    // Removes every timer due at `now` and appends their tags to `out`,
    // earliest first (equal deadlines: smaller tag first).
    void pop_due(Clock::time_point now, std::vector<std::uint64_t>& out);

  private:
    struct Entry {
        Clock::time_point deadline;
        std::uint64_t tag;
    };
    static bool before(const Entry& a, const Entry& b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.tag < b.tag);
    }
    void place(std::size_t pos, const Entry& entry);
    void sift_up(std::size_t pos);
    void sift_down(std::size_t pos);
    void remove_at(std::size_t pos);

    std::vector<Entry> heap_;
    std::unordered_map<std::uint64_t, std::size_t> index_;  // tag -> position in heap_
};

}  // namespace superv::loop
