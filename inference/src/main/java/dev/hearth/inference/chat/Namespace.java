package dev.hearth.inference.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// The object `namespace()` returns: the one value whose attributes a template may assign (`{% set ns.x = 1 %}`).
final class Namespace {
    final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
}
