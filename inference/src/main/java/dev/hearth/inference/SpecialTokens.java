package dev.hearth.inference;

import java.util.List;

/// The model's special tokens. An id of -1 means the model has none.
///
/// @param addBos whether tokenizing with special tokens adds BOS
/// @param addEos whether tokenizing with special tokens adds EOS
/// @param endOfGeneration every token that ends generation
public record SpecialTokens(int bos, int eos, int eot, int nl, int pad, boolean addBos, boolean addEos,
        List<Integer> endOfGeneration) {
    public SpecialTokens {
        endOfGeneration = List.copyOf(endOfGeneration);
    }
}
