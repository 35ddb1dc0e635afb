// Lesson 3: training a classifier.
//
// LeNet (two convolutions, max-pooling, two linear layers) learns Fashion-MNIST for a few hundred Adam steps on
// mini-batches of 16, then we measure its accuracy on test images it never saw. The trained weights are saved for
// lessons 4 to 6, which explain this model.
//
//   lesson3_training [steps=300] [model file=lesson3_lenet.safetensors]
//
// Read along: nn/lenet.h (the network), nn/module.h (parameters, train/eval), nn/losses.h (cross_entropy),
// nn/optim.h (Adam), datasets/registry.h (load_dataset), datasets/data_loader.h (mini-batches),
// nn/model_file.h (save_module).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "datasets/data_loader.h"
#include "datasets/registry.h"
#include "nn/lenet.h"
#include "nn/losses.h"
#include "nn/model_file.h"
#include "nn/optim.h"

using namespace mxai;

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 300;
  const std::string model_file = argc > 2 ? argv[2] : "lesson3_lenet.safetensors";
  const auto start = std::chrono::steady_clock::now();

  // Debian's dataset-fashion-mnist package (scripts/install_deps.sh installs it): 60,000 training and 10,000
  // test images, 28x28 grey in [0,1], padded with a black border to 32x32 because lesson 5's image generator
  // makes 32x32 images (padding is much cheaper than resizing 70,000 images).
  LoadOptions load;
  load.image_size = 32;
  load.size_mode = SizeMode::PadCrop;
  const Dataset train = load_dataset("fashion-mnist", "train", load);
  const Dataset test = load_dataset("fashion-mnist", "test", load);
  std::printf("train %s, test %s\n", shape_str(train.images.shape()).c_str(), shape_str(test.images.shape()).c_str());

  // The model: weights drawn from a seeded generator, so every run starts from the same point.
  Generator init(0);
  auto model = std::make_shared<nn::LeNet>(1, 32, 32, 10, init);
  std::printf("LeNet: %lld parameters\n", static_cast<long long>(model->num_parameters()));

  // Adam keeps its own handles to the parameters and updates them in place after each backward pass.
  nn::AdamOptions adam;
  adam.lr = 1e-3;
  nn::Adam optimizer(model->parameters(), adam);
  DataLoaderOptions batches;
  batches.batch_size = 16;  // shuffled by a seeded permutation of the 60,000 images
  DataLoader loader(train, batches);

  model->train();  // dropout on while training
  double running_loss = 0;
  int step = 0;
  for (const Batch& batch : loader.epoch(0)) {  // 3750 batches in an epoch; we stop long before its end
    if (step == steps) break;
    optimizer.zero_grad();                                          // forget the previous step's gradients
    const Tensor logits = model->forward(batch.images);             // (16,1,32,32) -> (16,10)
    const Tensor loss = nn::cross_entropy(logits, batch.labels);  // mean of -log softmax(logits)[label]
    loss.backward();                                                // d loss / d every parameter, into .grad
    optimizer.step();                                               // one Adam update of every parameter
    running_loss += loss.item();
    if (++step % 50 == 0) {
      std::printf("step %4d  mean loss of the last 50 steps %.3f\n", step, running_loss / 50);
      running_loss = 0;
    }
  }

  // Test accuracy: eval mode (dropout off), no graph needed, predicted class = argmax of the logits.
  model->eval();
  NoGradGuard no_graph;
  const int64_t test_count = 2000, chunk = 100;  // chunks of 500 made 100 MB activations, mapped afresh each time
  int64_t correct = 0;
  for (int64_t first = 0; first < test_count; first += chunk) {
    const Tensor images = narrow(test.images, 0, first, chunk);  // (100,1,32,32)
    const std::vector<int64_t> predicted = argmax(model->forward(images), 1);
    for (int64_t i = 0; i < chunk; ++i)
      correct += predicted[static_cast<size_t>(i)] == test.labels[static_cast<size_t>(first + i)];
  }
  const double accuracy = static_cast<double>(correct) / static_cast<double>(test_count);
  std::printf("test accuracy on the first %lld test images: %.3f (chance: 0.100)\n",
              static_cast<long long>(test_count), accuracy);

  nn::save_module(*model, model_file);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("saved %s (%.1f s in all)\n", model_file.c_str(), seconds);

  // A few hundred steps reach about 0.75-0.8; far below that, something in the pipeline is broken.
  return accuracy > 0.6 ? 0 : 1;
}
