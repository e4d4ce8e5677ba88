package dev.hearth.ui.compare;

import dev.hearth.inference.Sampling;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.ui.engine.LoadEstimator;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
import dev.hearth.ui.engine.MemoryCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;

/// How an experiment's variants run, for the Compare section and `hearth compare` alike: variants with the same
/// model and load options share one engine (a [Group]); different models run one after another (one engine in memory
/// at a time) or concurrently with the machine's threads split between them; repeat `k` of a variant samples with
/// its seed + `k`. [#memory] checks, before anything loads, that the engines fit the machine.
///
/// @param groups one per engine, in the order their first variant appears
public record ExperimentPlan(Scheduling scheduling, List<Group> groups) {
    /// How different models share the machine.
    public enum Scheduling { ONE_AFTER_ANOTHER, CONCURRENT }

    /// One engine: the load it gets (threads split when concurrent) and the variants (indices) that run on it.
    public record Group(LoadRequest request, List<Integer> variants) {
        public Group {
            variants = List.copyOf(variants);
        }
    }

    public ExperimentPlan {
        groups = List.copyOf(groups);
    }

    /// The plan for `loads` (one per variant, in order) on a machine with `cores` threads.
    public static ExperimentPlan of(List<LoadRequest> loads, Scheduling scheduling, int cores) {
        var byLoad = new LinkedHashMap<LoadRequest, List<Integer>>();
        for (int i = 0; i < loads.size(); i++) byLoad.computeIfAbsent(loads.get(i), _ -> new ArrayList<>()).add(i);
        int threads = Math.max(1, Math.max(1, cores) / Math.max(1, byLoad.size()));
        var groups = new ArrayList<Group>();
        byLoad.forEach((load, variants) -> groups.add(new Group(scheduling == Scheduling.CONCURRENT
                ? load.withOptions(load.options().withThreads(threads).withBatchThreads(threads)) : load,
                variants)));
        return new ExperimentPlan(scheduling, groups);
    }

    /// The plan for these variants' loads.
    public static ExperimentPlan forVariants(List<CompareVariant> variants, Scheduling scheduling, int cores) {
        return of(variants.stream().map(CompareVariant::load).toList(), scheduling, cores);
    }

    /// The load the engine of variant `index` gets.
    public LoadRequest requestFor(int index) {
        return groups.stream().filter(g -> g.variants().contains(index)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant " + index)).request();
    }

    /// The sampling of repeat `repeat` (0 first): seed + repeat; a random seed stays random.
    public static Sampling sampling(Sampling base, int repeat) {
        return base.seed() == Sampling.RANDOM_SEED || repeat == 0 ? base : base.withSeed(base.seed() + repeat);
    }

    /// Whether the engines this plan loads fit `machine`: together when concurrent, the largest alone when one after
    /// another. Loads `loaded` says are in memory already count nothing; a model whose file cannot be read is left out
    /// (its load fails on its own, with its own message).
    public MemoryCheck memory(LoadEstimator estimator, Machine machine, Predicate<LoadRequest> loaded) {
        return memory(estimator, machine, loaded, scheduling);
    }

    /// [#memory(LoadEstimator, Machine, Predicate)] as if scheduled `as`.
    public MemoryCheck memory(LoadEstimator estimator, Machine machine, Predicate<LoadRequest> loaded, Scheduling as) {
        var requests = new ArrayList<LoadRequest>();
        var needs = new ArrayList<FitEstimate>();
        for (var g : groups) {
            if (loaded.test(g.request())) continue;
            try {
                needs.add(estimator.estimate(g.request()));
                requests.add(g.request());
            } catch (IOException | RuntimeException _) {
                // unreadable: the load itself reports it
            }
        }
        return as == Scheduling.CONCURRENT ? MemoryCheck.together(requests, needs, machine)
                : MemoryCheck.oneAfterAnother(requests, needs, machine);
    }
}
