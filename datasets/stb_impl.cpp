// The implementations of stb_image and stb_image_write (third-party, single-header C), compiled here and nowhere
// else, so that what concerns stb itself -- its warnings, and under MXAI_SANITIZE two UBSan checks it fails
// (datasets/CMakeLists.txt) -- stays in this one unit. image_read.cpp and image_write.cpp use the declarations.
#include "datasets/stb_warnings_off.h"
// Only the formats the image-folder loader accepts (.png, .jpg/.jpeg, .bmp): stb's other decoders (PSD, GIF, HDR,
// PIC, PNM, TGA) would be reachable from any file that claims one of these names, and no input needs them.
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop
