#include "supervisor_fixture.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "superv/sys/signals.hpp"
#include "test_programs.hpp"

namespace superv::core::test {

void SupervisorTest::SetUp() {
    // Writing into a pipe whose reader is gone must be EPIPE, not a signal.
    sys::ignore_sigpipe();
    auto made = loop::make_backend(GetParam(), nullptr);
    if (!made) {
        const SysError& error = made.error();
        if (GetParam() != loop::BackendKind::Epoll && (error.err == EPERM || error.err == ENOSYS)) {
            GTEST_SKIP() << "io_uring refused here: " << error.message();
        }
        FAIL() << error.message();
    }
    backend_ = std::move(made.value());
    effects_ = std::make_unique<SystemEffects>(*backend_);
    supervisor_ = std::make_unique<Supervisor>(*effects_);
    supervisor_->set_observer(this);
    char tmpl[] = "/tmp/superv-supervisor-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
}

void SupervisorTest::TearDown() {
    if (supervisor_) {
        supervisor_->stop(supervisor_->all(), nullptr);
        if (run([&] { return !supervisor_->any_live(); }, 5s)) {
            ADD_FAILURE() << "a process outlived its stop";
            supervisor_->kill_all();
            run([&] { return !supervisor_->any_live(); }, 5s);
        }
        supervisor_.reset();
    }
    effects_.reset();
    backend_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

config::ProgramConfig SupervisorTest::program(std::vector<std::string> command) {
    return quiet_program("prog", std::move(command));
}

ProcessId SupervisorTest::add(const config::ProgramConfig& program) {
    config::ProcessSpec spec;
    spec.name = spec.group = program.name;
    spec.program = std::make_shared<const config::ProgramConfig>(program);
    spec.priority = program.priority;
    return supervisor_->add({spec}).front();
}

ProcessId SupervisorTest::start(const config::ProgramConfig& program) {
    const ProcessId id = add(program);
    supervisor_->start({id}, nullptr);
    run_until([&] { return state(id) != State::Starting; });
    return id;
}

void SupervisorTest::stop(ProcessId id) {
    supervisor_->stop({id}, nullptr);
    run_until([&] { return state(id) == State::Stopped; });
}

bool SupervisorTest::run_until(const std::function<bool()>& done, loop::Clock::duration limit) {
    if (!run(done, limit)) return true;
    ADD_FAILURE() << "not reached within the time limit";
    return false;
}

void SupervisorTest::run_for(loop::Clock::duration time) {
    run([] { return false; }, time);
}

bool SupervisorTest::run(const std::function<bool()>& done, loop::Clock::duration limit) {
    // The guard is a DaemonTimer, a kind the supervisor does not handle; a
    // guard of an earlier run (cancelled) has another generation.
    const loop::Tag guard{loop::TagKind::DaemonTimer, 0, ++guard_gen_};
    backend_->timer(guard, loop::Clock::now() + limit);
    bool fired = false;
    std::vector<loop::Completion> batch;
    while (!fired && !done()) {
        batch.clear();
        if (auto waited = backend_->wait(batch); !waited) {
            ADD_FAILURE() << "wait: " << waited.error().message();
            break;
        }
        for (const loop::Completion& c : batch) {
            if (c.tag.kind == loop::TagKind::DaemonTimer) {
                fired = fired || (c.tag == guard && c.result == 0);
            } else {
                supervisor_->handle(c);
            }
        }
        supervisor_->settle();
    }
    if (!fired) backend_->cancel(guard);
    return fired;
}

std::string SupervisorTest::read(const std::string& file) {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void SupervisorTest::on_transition(const Process& p, State from, State to) {
    seen.push_back(Seen{from, to, p.spawn_error});
}

}  // namespace superv::core::test
