#include "nn/module.h"

#include <algorithm>
#include <set>

namespace mxai::nn {

template <class F>
void Module::visit_entries(const std::string& prefix, bool buffers, F&& f) const {
  for (const Entry& e : buffers ? buffers_ : parameters_) f(prefix + e.name, e);
  for (const auto& [name, child] : children_) child->visit_entries(prefix + name + ".", buffers, f);
}

void Module::check_new_name(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos)
    throw Error(type_name() + ": invalid member name '" + name + "' (must be non-empty without dots)");
  bool taken = false;
  for (const Entry& e : parameters_) taken = taken || e.name == name;
  for (const Entry& e : buffers_) taken = taken || e.name == name;
  for (const auto& [child_name, child] : children_) taken = taken || child_name == name;
  if (taken) throw Error(type_name() + ": member name '" + name + "' registered twice");
}

void Module::register_parameter(const std::string& name, Tensor* slot) {
  check_new_name(name);
  if (!slot || !slot->defined()) throw Error(type_name() + ": parameter '" + name + "' is undefined");
  slot->requires_grad_(true);
  parameters_.push_back({name, slot, DType::F32});
}

void Module::register_buffer(const std::string& name, Tensor* slot, DType stored) {
  check_new_name(name);
  if (!slot || !slot->defined()) throw Error(type_name() + ": buffer '" + name + "' is undefined");
  buffers_.push_back({name, slot, stored});
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  check_new_name(name);
  if (!module) throw Error(type_name() + ": child module '" + name + "' is null");
  children_.emplace_back(name, std::move(module));
}

std::shared_ptr<Module> Module::child(const std::string& name) const {
  for (const auto& [n, m] : children_)
    if (n == name) return m;
  throw Error(type_name() + " has no child module '" + name + "'");
}

NamedTensors Module::named_parameters() const {
  NamedTensors out;
  visit_entries("", false, [&](const std::string& name, const Entry& e) { out.emplace_back(name, *e.slot); });
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

NamedTensors Module::named_buffers() const {
  NamedTensors out;
  visit_entries("", true, [&](const std::string& name, const Entry& e) { out.emplace_back(name, *e.slot); });
  return out;
}

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (const Tensor& p : parameters()) n += p.numel();
  return n;
}

std::vector<std::pair<std::string, Tensor*>> Module::parameter_slots() {
  std::vector<std::pair<std::string, Tensor*>> out;
  visit_entries("", false, [&](const std::string& name, const Entry& e) { out.emplace_back(name, e.slot); });
  return out;
}

std::vector<std::pair<std::string, Tensor*>> Module::buffer_slots() {
  std::vector<std::pair<std::string, Tensor*>> out;
  visit_entries("", true, [&](const std::string& name, const Entry& e) { out.emplace_back(name, e.slot); });
  return out;
}

void Module::train(bool on) {
  const bool changed = training_ != on;
  training_ = on;
  if (changed) on_mode_change();
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (Tensor p : parameters()) p.zero_grad();
}

StateDict Module::state_dict() const {
  StateDict out;
  for (const bool buffers : {false, true})
    visit_entries("", buffers, [&](const std::string& name, const Entry& e) { out[name] = e.slot->detach(); });
  return out;
}

std::map<std::string, DType> Module::state_dtypes() const {
  std::map<std::string, DType> out;
  for (const bool buffers : {false, true})
    visit_entries("", buffers, [&](const std::string& name, const Entry& e) { out[name] = e.stored; });
  return out;
}

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

void Module::load_state_dict(const StateDict& state, bool strict, const std::map<std::string, DType>& dtypes) {
  std::vector<std::pair<std::string, Entry>> targets;
  for (const bool buffers : {false, true})
    visit_entries("", buffers, [&](const std::string& name, const Entry& e) { targets.emplace_back(name, e); });

  std::vector<std::string> missing, unexpected, mismatched;
  std::set<std::string> known;
  for (const auto& [name, entry] : targets) {
    known.insert(name);
    const auto found = state.find(name);
    if (found == state.end()) {
      missing.push_back(name);
      continue;
    }
    const Tensor& value = found->second;
    if (!value.defined()) {
      mismatched.push_back(name + ": the given tensor is undefined");
      continue;
    }
    if (value.shape() != entry.slot->shape())
      mismatched.push_back(name + ": expected shape " + shape_str(entry.slot->shape()) + ", got " +
                           shape_str(value.shape()));
    const auto dtype = dtypes.find(name);
    if (dtype != dtypes.end() && dtype_is_floating(dtype->second) != dtype_is_floating(entry.stored))
      mismatched.push_back(name + ": expected dtype " + dtype_name(entry.stored) + ", got " +
                           dtype_name(dtype->second));
  }
  for (const auto& [name, value] : state)
    if (!known.count(name)) unexpected.push_back(name);

  std::string problems;
  if (strict && !missing.empty()) problems += "\n  missing keys: " + join(missing);
  if (strict && !unexpected.empty()) problems += "\n  unexpected keys: " + join(unexpected);
  for (const std::string& m : mismatched) problems += "\n  mismatch: " + m;
  if (!problems.empty()) throw Error("load_state_dict into " + type_name() + " failed:" + problems);

  for (const auto& [name, entry] : targets) {
    const auto found = state.find(name);
    if (found == state.end()) continue;
    const Tensor& value = found->second;
    std::copy_n(value.data(), value.numel(), entry.slot->data());
  }
}

Tensor functional_call(Module& module, const StateDict& replacements, const Tensor& x) {
  std::vector<std::pair<std::string, Tensor*>> slots = module.parameter_slots();
  for (auto& b : module.buffer_slots()) slots.push_back(b);
  std::vector<std::pair<Tensor*, Tensor>> saved;
  // Restores the originals on every exit path.
  struct Restore {
    std::vector<std::pair<Tensor*, Tensor>>& saved;
    ~Restore() {
      for (auto& [slot, original] : saved) *slot = original;
    }
  } restore{saved};
  std::set<std::string> used;
  for (auto& [name, slot] : slots) {
    const auto found = replacements.find(name);
    if (found == replacements.end()) continue;
    if (found->second.shape() != slot->shape())
      throw Error("functional_call: '" + name + "' expects shape " + shape_str(slot->shape()) + ", got " +
                  shape_str(found->second.shape()));
    saved.emplace_back(slot, *slot);
    *slot = found->second;
    used.insert(name);
  }
  for (const auto& [name, value] : replacements)
    if (!used.count(name)) throw Error("functional_call: " + module.type_name() + " has no parameter or buffer '" + name + "'");
  return module.forward(x);
}

}  // namespace mxai::nn
