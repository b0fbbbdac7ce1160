// superv: argv to a subcommand, nothing else.
#include "superv/cli/cli.hpp"

int main(int argc, char** argv) {
    return superv::cli::run(argc, argv);
}
