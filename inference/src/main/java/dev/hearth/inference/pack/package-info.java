/// Engine packs: folders of prebuilt llama.cpp libraries of a current generation (node-llama-cpp's platform
/// packages), how to recognise, install, list and remove them.
@NullMarked
package dev.hearth.inference.pack;

import org.jspecify.annotations.NullMarked;
