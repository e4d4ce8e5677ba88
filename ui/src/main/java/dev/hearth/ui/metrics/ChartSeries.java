package dev.hearth.ui.metrics;

import java.util.List;

/// One line of the chart: a model (and parameter set) over time, or a model's hardware ceiling.
///
/// @param ceiling true for the flat line at bandwidth ÷ weight bytes
public record ChartSeries(String label, List<Point> points, boolean ceiling) {
    public ChartSeries {
        points = List.copyOf(points);
    }

    /// The median of one time bucket (x: epoch milliseconds of the bucket's start).
    public record Point(long epochMillis, double value) {}
}
