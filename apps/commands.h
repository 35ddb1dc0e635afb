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
// Manifold stages (apps/cmd_vae.cpp, cmd_manifold.cpp, cmd_autoencoder.cpp).
int train_vae(const Args& args);
int make_manifold_dataset(const Args& args);
int tangent_space(const Args& args);
int train_autoencoder(const Args& args);
// The pipeline and the explanation commands (apps/cmd_reproduce.cpp, cmd_explain.cpp).
int reproduce(const Args& args);
int explain(const Args& args);
int taig(const Args& args);
int roar(const Args& args);

}  // namespace mxai::cmd
