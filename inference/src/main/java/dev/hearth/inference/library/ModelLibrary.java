package dev.hearth.inference.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.inference.hub.QuantLabel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/// The models on this machine: Hearth's models folder (written by downloads and imports), folders the user added,
/// and other tools' caches ([ModelCaches]) listed read-only. Listing only looks at names and sizes (fast: no file is
/// opened); metadata comes from a [MetadataCache].
public final class ModelLibrary {
    /// Imported files go to `<models>/imported/`.
    public static final String IMPORTED_FOLDER = "imported";
    private static final Pattern SHARD = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");
    private static final String OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";
    private static final int MAX_DEPTH = 8;

    private final Path modelsDir;
    private final List<LibraryFolder> caches;
    private volatile List<LibraryFolder> folders;
    private final ObjectMapper json = new ObjectMapper();
    private final MetadataCache<ModelInfo> metadata;

    /// A library whose metadata is cached in memory only.
    ///
    /// @param userFolders folders the user added (writable, as their files are theirs)
    /// @param caches      other tools' caches, usually [ModelCaches#discover]
    public ModelLibrary(Path modelsDir, List<Path> userFolders, List<LibraryFolder> caches) {
        this(modelsDir, userFolders, caches, null);
    }

    /// @param metadataFile where the models' metadata is also kept between runs (a [MetadataCache] file, usually
    ///                     `<cache>/gguf-metadata.json`), or `null` for memory only
    public ModelLibrary(Path modelsDir, List<Path> userFolders, List<LibraryFolder> caches, @Nullable Path metadataFile) {
        MetadataCache.Reader<ModelInfo> reader = file -> GgufReader.open(file).modelInfo();
        this.metadata = metadataFile == null ? new MetadataCache<>(reader) : new MetadataCache<>(reader, ModelInfo.class, metadataFile);
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
        this.caches = List.copyOf(caches);
        this.folders = folders(userFolders);
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /// Every folder listed, in order: the models folder, the user's folders, other tools' caches.
    public List<LibraryFolder> folders() {
        return folders;
    }

    /// The folders the user added, in the order given.
    public List<Path> userFolders() {
        return folders.stream().filter(f -> f.source() == ModelSource.USER_FOLDER).map(LibraryFolder::path).toList();
    }

    /// Replaces the user's folders (when the settings change); the next [#list()] sees them. Thread-safe.
    public void setUserFolders(List<Path> userFolders) {
        this.folders = folders(userFolders);
    }

    private List<LibraryFolder> folders(List<Path> userFolders) {
        var all = new ArrayList<LibraryFolder>();
        all.add(new LibraryFolder(modelsDir, ModelSource.MODELS_FOLDER));
        userFolders.stream().map(p -> p.toAbsolutePath().normalize()).distinct()
                .filter(p -> !p.equals(modelsDir))
                .forEach(p -> all.add(new LibraryFolder(p, ModelSource.USER_FOLDER)));
        all.addAll(caches);
        return List.copyOf(all);
    }

    /// Every model, sorted by source then name. Folders that are missing or unreadable are skipped.
    public List<LocalModel> list() {
        var models = new ArrayList<LocalModel>();
        for (var folder : folders) {
            if (!Files.isDirectory(folder.path())) continue;
            try {
                switch (folder.source()) {
                    case HUGGING_FACE -> scanHuggingFace(folder, models);
                    case OLLAMA -> scanOllama(folder, models);
                    default -> scanFolder(folder, folder.path(), "", models);
                }
            } catch (IOException _) {
                // an unreadable folder lists nothing rather than failing the whole library
            }
        }
        models.sort(Comparator.comparing(LocalModel::source).thenComparing(LocalModel::name));
        return models;
    }

    /// Models whose name, or whose file name, is `name`.
    public List<LocalModel> find(String name) {
        return list().stream()
                .filter(m -> m.name().equals(name) || m.path().getFileName().toString().equals(name))
                .toList();
    }

    /// What the GGUF reader says about a model's first file (read once per size and modification time, and with a
    /// metadata file, once across runs).
    ///
    /// @throws IOException when the file cannot be read or is not valid GGUF (a `GgufFormatException` says why)
    public ModelInfo info(LocalModel model) throws IOException {
        return metadata.get(model.path());
    }

    /// Memory the model needs at `contextSize` tokens with a `kvType` KV cache; a split set's weights are summed
    /// over all its parts.
    public FitEstimate estimate(LocalModel model, int contextSize, KvCacheType kvType) throws IOException {
        var info = info(model);
        long weights = 0;
        for (var part : model.files()) weights += metadata.get(part).weightsBytes();
        return FitEstimate.of(info, weights, contextSize, kvType);
    }

    /// Memory a load of `model` (a file, or the first part of a split set) with `options` needs: the context the
    /// options give for the model's training context, their KV cache type; a split set's parts are summed. This is
    /// the load dialog's estimate for a load chosen elsewhere (a Compare variant, `hearth compare`).
    ///
    /// @throws IOException when a file cannot be read or is not valid GGUF
    public FitEstimate estimate(Path model, dev.hearth.inference.LoadOptions options) throws IOException {
        return estimate(model, options, metadata::get);
    }

    /// [#estimate(Path, dev.hearth.inference.LoadOptions)] reading the files themselves (no library, no cache).
    public static FitEstimate estimateFile(Path model, dev.hearth.inference.LoadOptions options) throws IOException {
        return estimate(model, options, file -> GgufReader.open(file).modelInfo());
    }

    private static FitEstimate estimate(Path model, dev.hearth.inference.LoadOptions options,
            MetadataCache.Reader<ModelInfo> read) throws IOException {
        var info = read.read(model);
        int context = options.effectiveContextSize((int) Math.min(Integer.MAX_VALUE, info.contextLength()));
        long weights = 0;
        for (var part : splitParts(model)) weights += read.read(part).weightsBytes();
        return FitEstimate.of(info, weights, Math.max(1, context), options.kvCacheType());
    }

    /// The parts of the split set whose first part is `first` (`name-00001-of-00003.gguf`), or just `first`.
    static List<Path> splitParts(Path first) {
        var name = first.getFileName();
        var m = name == null ? null : SHARD.matcher(name.toString());
        if (m == null || !m.matches() || Integer.parseInt(m.group(2)) != 1) return List.of(first);
        int count = Integer.parseInt(m.group(3));
        var parts = new ArrayList<Path>();
        for (int i = 1; i <= count; i++) {
            var part = first.resolveSibling(String.format(Locale.ROOT, "%s-%05d-of-%05d.gguf", m.group(1), i, count));
            if (Files.isRegularFile(part)) parts.add(part);
        }
        return parts.isEmpty() ? List.of(first) : parts;
    }

    /// Whether the model fits `budget` at `contextSize` tokens with a `kvType` KV cache.
    public ModelFit fit(LocalModel model, int contextSize, KvCacheType kvType, MemoryBudget budget) throws IOException {
        return ModelFit.classify(estimate(model, contextSize, kvType), budget);
    }

    // ---- scanning -------------------------------------------------------------------------------------------------

    private void scanFolder(LibraryFolder folder, Path root, String prefix, List<LocalModel> out) throws IOException {
        var found = new ArrayList<Path>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                var name = dir.getFileName();
                if (!dir.equals(root) && name != null && name.toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isGgufName(file)) found.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        addGrouped(folder.source(), root, prefix, found, out);
    }

    /// Groups files into single models and split sets and adds them.
    private static void addGrouped(ModelSource source, Path root, String prefix, List<Path> files, List<LocalModel> out) {
        var sets = new LinkedHashMap<String, List<Path>>();
        for (var file : files) {
            var m = SHARD.matcher(file.getFileName().toString());
            var key = m.matches() ? file.resolveSibling(m.group(1)) + "\0" + m.group(3) : file.toString();
            sets.computeIfAbsent(key, _ -> new ArrayList<>()).add(file);
        }
        for (var parts : sets.values()) {
            parts.sort(Comparator.comparing(p -> p.getFileName().toString()));
            var first = parts.getFirst();
            var relative = root.relativize(first).toString().replace('\\', '/');
            out.add(model(prefix + relative, source, parts));
        }
    }

    private static LocalModel model(String name, ModelSource source, List<Path> parts) {
        long size = 0;
        Instant modified = Instant.EPOCH;
        for (var p : parts) {
            try {
                var attrs = Files.readAttributes(p, BasicFileAttributes.class);
                size += attrs.size();
                var m = attrs.lastModifiedTime().toInstant();
                if (m.isAfter(modified)) modified = m;
            } catch (IOException _) {
                // a vanished or broken link counts as 0 bytes
            }
        }
        return new LocalModel(name, source, parts, size,
                QuantLabel.parse(parts.getFirst().getFileName().toString()).orElse(null), modified);
    }

    /// `models--owner--repo/snapshots/<revision>/<path>` (symlinks into `blobs/`), each blob once.
    private void scanHuggingFace(LibraryFolder folder, List<LocalModel> out) throws IOException {
        try (Stream<Path> repos = Files.list(folder.path())) {
            for (var repoDir : repos.sorted().toList()) {
                var dirName = repoDir.getFileName().toString();
                if (!dirName.startsWith("models--")) continue;
                var repoId = dirName.substring("models--".length()).replace("--", "/");
                var snapshots = repoDir.resolve("snapshots");
                if (!Files.isDirectory(snapshots)) continue;
                var seen = new HashSet<Path>();
                var picked = new ArrayList<LocalModel>();
                try (Stream<Path> revisions = Files.list(snapshots)) {
                    for (var revision : revisions.sorted().toList()) {
                        var inRevision = new ArrayList<LocalModel>();
                        scanFolder(new LibraryFolder(revision, ModelSource.HUGGING_FACE), revision, repoId + "/", inRevision);
                        for (var model : inRevision) {
                            var real = realPath(model.path());
                            if (real != null && seen.add(real)) picked.add(model);
                        }
                    }
                }
                out.addAll(picked);
            }
        }
    }

    /// `manifests/<registry>/<namespace>/<name>/<tag>` → the model layer's digest → `blobs/sha256-<hex>`.
    private void scanOllama(LibraryFolder folder, List<LocalModel> out) throws IOException {
        var manifests = folder.path().resolve("manifests");
        if (!Files.isDirectory(manifests)) return;
        List<Path> files;
        try (Stream<Path> s = Files.walk(manifests, 6)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (var manifest : files) {
            var rel = manifests.relativize(manifest);
            if (rel.getNameCount() < 3) continue;
            int n = rel.getNameCount();
            var tag = rel.getName(n - 1).toString();
            var name = rel.getName(n - 2).toString();
            var namespace = n >= 3 ? rel.getName(n - 3).toString() : "library";
            var registry = n >= 4 ? rel.getName(n - 4).toString() : "registry.ollama.ai";
            var display = (registry.equals("registry.ollama.ai") ? "" : registry + "/")
                    + (namespace.equals("library") ? "" : namespace + "/") + name + ":" + tag;
            try (InputStream in = Files.newInputStream(manifest)) {
                var root = json.readTree(in);
                for (var layer : root.path("layers")) {
                    if (!OLLAMA_MODEL_LAYER.equals(layer.path("mediaType").asText())) continue;
                    var digest = layer.path("digest").asText("");
                    if (!digest.matches("sha256:[0-9a-f]{64}")) continue;
                    var blob = folder.path().resolve("blobs").resolve("sha256-" + digest.substring(7));
                    if (Files.isRegularFile(blob)) {
                        var m = model(display, ModelSource.OLLAMA, List.of(blob));
                        out.add(new LocalModel(m.name(), m.source(), m.files(), m.sizeBytes(),
                                QuantLabel.parse(tag).orElse(null), m.modified()));
                    }
                }
            } catch (IOException | RuntimeException _) {
                // a manifest we cannot read is skipped
            }
        }
    }

    private static @Nullable Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException _) {
            return null;
        }
    }

    private static boolean isGgufName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    // ---- changes --------------------------------------------------------------------------------------------------

    /// How [#importModel] brings a file in.
    public enum ImportMode {
        /// Copy the bytes (safe if the original is moved or deleted later).
        COPY,
        /// A symbolic link to the original (no space used), or a hard link where symbolic links are not allowed.
        LINK
    }

    /// Brings a GGUF file (and the other parts, for the first shard of a split set) into `<models>/imported/`.
    /// Copies go through a hidden temporary file and appear with an atomic move, never half-written.
    public LocalModel importModel(Path source, ImportMode mode) throws LibraryException {
        var file = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no such file: " + file);
        }
        checkGgufMagic(file);
        var parts = new ArrayList<Path>();
        var m = SHARD.matcher(file.getFileName().toString());
        if (m.matches()) {
            int count = Integer.parseInt(m.group(3));
            for (int i = 1; i <= count; i++) {
                var part = file.resolveSibling(String.format(Locale.ROOT, "%s-%05d-of-%05d.gguf", m.group(1), i, count));
                if (!Files.isRegularFile(part)) {
                    throw new LibraryException(LibraryException.Kind.NOT_FOUND, "part " + i + " of " + count + " is missing: " + part);
                }
                parts.add(part);
            }
        } else {
            parts.add(file);
        }
        var destDir = modelsDir.resolve(IMPORTED_FOLDER);
        var staging = modelsDir.resolve(ModelDownloader.PARTIAL_FOLDER).resolve(IMPORTED_FOLDER);
        var targets = new ArrayList<Path>();
        try {
            Files.createDirectories(destDir);
            for (var part : parts) {
                var target = destDir.resolve(part.getFileName().toString());
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new LibraryException(LibraryException.Kind.ALREADY_EXISTS,
                            "the library already has " + IMPORTED_FOLDER + "/" + target.getFileName());
                }
                targets.add(target);
            }
            for (int i = 0; i < parts.size(); i++) {
                var part = parts.get(i);
                var target = targets.get(i);
                if (mode == ImportMode.LINK) {
                    link(part, target);
                } else {
                    Files.createDirectories(staging);
                    var temp = staging.resolve(part.getFileName() + ".part");
                    Files.copy(part, temp, StandardCopyOption.REPLACE_EXISTING);
                    move(temp, target);
                }
            }
        } catch (AccessDeniedException e) {
            throw new LibraryException(LibraryException.Kind.NOT_WRITABLE, "the models folder cannot be written: " + e.getFile(), e);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO_ERROR, "import of " + file + " failed: " + e.getMessage(), e);
        }
        return model(IMPORTED_FOLDER + "/" + targets.getFirst().getFileName(), ModelSource.MODELS_FOLDER, targets);
    }

    private static void link(Path original, Path target) throws IOException {
        try {
            Files.createSymbolicLink(target, original);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) throw (IOException) e;
            Files.createLink(target, original);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException _) {
            Files.move(from, to);
        }
    }

    private static void checkGgufMagic(Path file) throws LibraryException {
        var magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) != 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
                throw new LibraryException(LibraryException.Kind.NOT_GGUF, "not a GGUF file: " + file);
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /// Deletes a model's files (links: the link only). The caller has asked the user. Read-only sources are refused.
    public void remove(LocalModel model) throws LibraryException {
        if (model.readOnly()) {
            throw new LibraryException(LibraryException.Kind.READ_ONLY, model.name() + " belongs to "
                    + model.source().displayName() + ": remove it with that tool; Hearth only lists it");
        }
        var root = folders.stream()
                .filter(f -> !f.source().readOnly() && model.path().toAbsolutePath().normalize().startsWith(f.path()))
                .map(LibraryFolder::path).findFirst()
                .orElseThrow(() -> new LibraryException(LibraryException.Kind.NOT_FOUND, model.name() + " is not in the library"));
        try {
            for (var file : model.files()) Files.deleteIfExists(file);
        } catch (AccessDeniedException e) {
            throw new LibraryException(LibraryException.Kind.NOT_WRITABLE, "cannot delete " + e.getFile() + ": permission denied", e);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO_ERROR, "cannot delete " + model.name() + ": " + e.getMessage(), e);
        }
        for (var dir = model.path().toAbsolutePath().normalize().getParent(); dir != null && dir.startsWith(root) && !dir.equals(root);
                dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException _) {
                break; // not empty
            }
        }
    }
}
