package dev.hearth.inference.project.edit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Commits an applied edit with the `git` command line (explicit arguments, never a shell). Only the edited paths
/// are committed (`git commit --only`), so whatever else the user has staged stays staged.
public final class GitCommitter {
    private static final long TIMEOUT_S = 60;
    private final String git;

    /// Uses `git` from the PATH.
    public GitCommitter() {
        this("git");
    }

    /// @param git the git executable (a name on the PATH or a path)
    public GitCommitter(String git) {
        this.git = git;
    }

    /// Whether `folder` is inside a git work tree. Throws [EditException.Kind#GIT] when git cannot be run.
    public boolean isRepository(Path folder) throws EditException {
        var r = run(folder, List.of("rev-parse", "--is-inside-work-tree"));
        return r.code() == 0 && r.out().strip().equals("true");
    }

    /// Stages and commits `paths` (relative to `root`) with `message`; returns the new commit's hash.
    public String commit(Path root, List<String> paths, String message) throws EditException {
        if (paths.isEmpty()) throw new EditException(EditException.Kind.NOTHING_TO_APPLY, "No file to commit.");
        var add = new ArrayList<>(List.of("add", "-A", "--"));
        add.addAll(paths);
        check(run(root, add), "git add");
        var commit = new ArrayList<>(List.of("commit", "--only", "-m", message, "--"));
        commit.addAll(paths);
        check(run(root, commit), "git commit");
        return check(run(root, List.of("rev-parse", "HEAD")), "git rev-parse").strip();
    }

    private record Result(int code, String out, String err) {}

    private static String check(Result r, String what) throws EditException {
        if (r.code() == 0) return r.out();
        var detail = (r.err().isBlank() ? r.out() : r.err()).strip();
        throw new EditException(EditException.Kind.GIT, what + " failed: " + (detail.isEmpty() ? "exit " + r.code() : detail));
    }

    private Result run(Path folder, List<String> args) throws EditException {
        var command = new ArrayList<String>();
        command.add(git);
        command.add("-C");
        command.add(folder.toString());
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException e) {
            throw new EditException(EditException.Kind.GIT,
                    "git was not found (" + git + "): install git to commit applied edits.", e);
        }
        try {
            var err = p.getErrorStream();
            var errText = new StringBuilder();
            var errReader = Thread.ofVirtual().start(() -> {
                try {
                    errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException _) {
                    // the process ended
                }
            });
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EditException(EditException.Kind.GIT, "git " + args.getFirst() + " took longer than " + TIMEOUT_S + " s.");
            }
            errReader.join();
            return new Result(p.exitValue(), out, errText.toString());
        } catch (IOException e) {
            throw new EditException(EditException.Kind.GIT, "git " + args.getFirst() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EditException(EditException.Kind.GIT, "Interrupted while git was running.", e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
