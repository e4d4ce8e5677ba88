package dev.hearth.ui.models;

import dev.hearth.inference.hub.DownloadRequest;
import dev.hearth.inference.hub.GgufVariant;
import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.ModelSummary;
import dev.hearth.inference.hub.SearchSort;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.ModelFit;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.Machine;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The Hub part of the Models section: search GGUF repositories, list a repository's models (split sets as one) with
/// quantisation, size and fit badge, and start downloads. Every Hub call runs off the UI thread; failures appear as
/// one sentence in [#messageProperty()] (the search) or [#filesMessageProperty()] (the files), never as a dialog.
public final class HubViewModel {
    /// What the search (or the file list) is doing.
    public enum State { IDLE, SEARCHING, READY, FAILED }

    /// The revision downloads and listings use.
    public static final String REVISION = "main";
    /// How many repositories a search returns.
    public static final int RESULTS = 50;

    /// One downloadable model of a repository with its fit badge (from its size: the KV cache is counted once the
    /// file is on disk and its header can be read).
    public record VariantRow(GgufVariant variant, @Nullable ModelFit fit) {
        public String fitLabel() {
            return fit == null ? "" : fit.label();
        }

        /// Incomplete split sets and projector files cannot be downloaded as a model.
        public boolean downloadable() {
            return variant.complete() && !variant.isProjector();
        }
    }

    private final HubClient hub;
    private final UiTasks tasks;
    private final DownloadsViewModel downloads;
    private final ObservableValue<@Nullable Machine> machine;
    private final StringProperty query = new SimpleStringProperty("");
    private final ObjectProperty<SearchSort> sort = new SimpleObjectProperty<>(SearchSort.DOWNLOADS);
    private final ObservableList<ModelSummary> results = FXCollections.observableArrayList();
    /// Read-only view of `results`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<ModelSummary> resultsView = FXCollections.unmodifiableObservableList(results);
    private final ObjectProperty<@Nullable ModelSummary> selected = new SimpleObjectProperty<>();
    private final ObservableList<VariantRow> variants = FXCollections.observableArrayList();
    /// Read-only view of `variants`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<VariantRow> variantsView = FXCollections.unmodifiableObservableList(variants);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyObjectWrapper<State> filesState = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Search the Hub for GGUF models.");
    private final ReadOnlyStringWrapper filesMessage = new ReadOnlyStringWrapper("");
    private @Nullable Cancellable search;
    private @Nullable Cancellable listing;

    public HubViewModel(HubClient hub, UiTasks tasks, DownloadsViewModel downloads, ObservableValue<@Nullable Machine> machine) {
        this.hub = hub;
        this.tasks = tasks;
        this.downloads = downloads;
        this.machine = machine;
        selected.addListener((_, _, now) -> listFiles(now));
        sort.addListener((_, _, _) -> {
            if (state.get() != State.IDLE) search();
        });
        machine.addListener((_, _, _) -> variants.setAll(variants.stream().map(r -> row(r.variant())).toList()));
    }

    public StringProperty queryProperty() {
        return query;
    }

    /// Changing the order searches again.
    public ObjectProperty<SearchSort> sortProperty() {
        return sort;
    }

    public ObservableList<ModelSummary> results() {
        return resultsView;
    }

    /// The repository whose files are listed; choosing one lists them.
    public ObjectProperty<@Nullable ModelSummary> selectedProperty() {
        return selected;
    }

    public ObservableList<VariantRow> variants() {
        return variantsView;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> filesStateProperty() {
        return filesState.getReadOnlyProperty();
    }

    /// About the search: how many results, or why there are none.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// About the selected repository's files.
    public ReadOnlyStringProperty filesMessageProperty() {
        return filesMessage.getReadOnlyProperty();
    }

    /// Searches the Hub for [#queryProperty()] in [#sortProperty()] order.
    public void search() {
        if (search != null) search.cancel();
        var q = query.get() == null ? "" : query.get().strip();
        var order = sort.get();
        state.set(State.SEARCHING);
        message.set(q.isEmpty() ? "Searching the Hub …" : "Searching the Hub for \u201c" + q + "\u201d …");
        search = tasks.run(() -> hub.search(q, order, RESULTS), found -> {
            results.setAll(found);
            state.set(State.READY);
            message.set(found.isEmpty() ? "No GGUF repositories match \u201c" + q + "\u201d."
                    : found.size() + (found.size() == 1 ? " repository" : " repositories") + (found.size() == RESULTS ? " (the first " + RESULTS + ")" : ""));
        }, failure -> {
            results.clear();
            state.set(State.FAILED);
            message.set(HubMessages.sentence(failure));
        });
    }

    /// Downloads one model of the selected repository (every part of a split set).
    public void download(VariantRow row) {
        var repo = selected.get();
        if (repo == null || !row.downloadable()) return;
        downloads.start(DownloadRequest.of(repo.repo(), REVISION, row.variant()));
    }

    private void listFiles(@Nullable ModelSummary repo) {
        if (listing != null) listing.cancel();
        variants.clear();
        if (repo == null) {
            filesState.set(State.IDLE);
            filesMessage.set("");
            return;
        }
        filesState.set(State.SEARCHING);
        filesMessage.set("Listing the files of " + repo.repo() + " …");
        listing = tasks.run(() -> hub.ggufVariants(repo.repo(), REVISION), found -> {
            if (repo != selected.get()) return;
            variants.setAll(found.stream().map(this::row).toList());
            filesState.set(State.READY);
            filesMessage.set(found.size() + (found.size() == 1 ? " model" : " models") + " in " + repo.repo()
                    + (repo.isGated() ? " (gated: accept the licence on the Hub and set a token to download)" : ""));
        }, failure -> {
            if (repo != selected.get()) return;
            filesState.set(State.FAILED);
            filesMessage.set(HubMessages.sentence(failure));
        });
    }

    private VariantRow row(GgufVariant variant) {
        var m = machine.getValue();
        if (m == null) return new VariantRow(variant, null);
        var need = FitEstimate.of(variant.totalBytes(), 0, 1);
        return new VariantRow(variant, ModelFit.classify(need, m.canOffload() ? m.budget() : m.ramOnly()));
    }

    /// The search results' sort orders offered (trending is not a stable order for a list).
    public static List<SearchSort> sorts() {
        return List.of(SearchSort.DOWNLOADS, SearchSort.LIKES, SearchSort.UPDATED);
    }
}
