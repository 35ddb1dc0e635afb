// Every subcommand of the `mxai` binary: one function each, one file each (cmd_*.cpp).
#pragma once

#include <string>
#include <vector>

namespace mxai::cmd {

using Args = std::vector<std::string>;
int demo(const Args& args);
int train_classifier(const Args& args);
int eval_classifier(const Args& args);
int info(const Args& args);

}  // namespace mxai::cmd
