package dev.hearth.inference;

/// One alternative at a position: token id, its text piece and its log-probability (natural log, raw logits).
public record TopToken(int id, String text, double logprob) {}
