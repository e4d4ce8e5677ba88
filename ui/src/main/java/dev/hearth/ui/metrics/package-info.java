/// The Metrics section: prompt and generation speed and time to first token over time, per model and parameter
/// set, aggregated in SQL by the session log; per-token latency of one generation; the memory-bandwidth ceiling.
@NullMarked
package dev.hearth.ui.metrics;

import org.jspecify.annotations.NullMarked;
