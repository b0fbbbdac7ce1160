#include "supervisor_rules.hpp"

#include "test_programs.hpp"

namespace superv::core::test {

config::ProgramConfig SupervisorRules::program(const std::string& name, int priority) {
    config::ProgramConfig p = quiet_program(name, {"/bin/" + name});
    p.priority = priority;
    return p;
}

ProcessId SupervisorRules::add(const config::ProgramConfig& program) {
    config::ProcessSpec spec;
    spec.name = spec.group = program.name;
    spec.program = std::make_shared<const config::ProgramConfig>(program);
    spec.priority = program.priority;
    return sup.add({spec}).front();
}

void SupervisorRules::start(const std::vector<ProcessId>& ids) {
    sup.start(ids, [this](const std::vector<MemberResult>& r) {
        results = r;
        ++operations_done;
    });
}

void SupervisorRules::stop(const std::vector<ProcessId>& ids) {
    sup.stop(ids, [this](const std::vector<MemberResult>& r) {
        results = r;
        ++operations_done;
    });
}

void SupervisorRules::deliver(const loop::Completion& c) {
    sup.handle(c);
    sup.settle();
}

void SupervisorRules::advance(Millis by) {
    for (const loop::Completion& c : fx.take_cancelled())
        sup.handle(c);
    for (const loop::Completion& c : fx.advance(by))
        sup.handle(c);
    sup.settle();
}

std::vector<std::string> SupervisorRules::take_calls() {
    return std::exchange(fx.calls, {});
}

void SupervisorRules::on_transition(const Process& p, State from, State to) {
    transitions.push_back(p.display_name() + " " + std::string(state_name(from)) + ">" +
                          std::string(state_name(to)));
}

}  // namespace superv::core::test
