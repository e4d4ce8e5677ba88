package dev.hearth.inference;

/// One token of a tokenized text: its id, the text piece it stands for (special tokens rendered) and
/// whether it is a control token (BOS, EOS, …).
public record TokenPiece(int id, String piece, boolean control) {}
