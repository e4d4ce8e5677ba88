package dev.hearth.inference.project.edit;

import java.util.List;

/// An edit of an answer that cannot be applied as written. Each says which file and which block, in a sentence for
/// the review; [#followUp(List)] turns a list of them into a message for the model (aider's idea: tell the model
/// exactly what did not match, and it usually fixes it).
public sealed interface EditProblem {
    /// One plain sentence (or two) for the review.
    String message();

    /// A SEARCH block (or a diff hunk's old lines) not found exactly in the file. `nearest` holds the most similar
    /// lines of the file (starting at 1-based `nearestLine`), empty when nothing came close.
    record NotFound(String path, int block, String search, String nearest, int nearestLine, boolean onlyWhitespaceDiffers)
            implements EditProblem {
        @Override
        public String message() {
            var where = "Block " + block + " for " + path + ": the lines to replace were not found exactly in the file.";
            if (nearest.isEmpty()) return where;
            if (onlyWhitespaceDiffers) return where + " Lines " + nearestLine + "… match except for whitespace.";
            return where + " The most similar lines start at line " + nearestLine + ".";
        }
    }

    /// An edit refused as a whole: an unsafe path, a binary file, a SEARCH block on a file that does not exist.
    record Refused(String path, int block, String reason) implements EditProblem {
        @Override
        public String message() {
            return "Block " + block + " for " + ProjectPaths.printable(path) + ": " + reason;
        }
    }

    /// Something in the answer that looked like an edit but could not be read.
    record Unreadable(String message) implements EditProblem {}

    /// A message to send to the model about `problems`: what did not match, with the nearest lines, and how to
    /// resend.
    static String followUp(List<EditProblem> problems) {
        var b = new StringBuilder("Some of your edits could not be applied:\n\n");
        for (var p : problems) {
            switch (p) {
                case NotFound n -> {
                    b.append("- The SEARCH block ").append(n.block()).append(" for `").append(n.path())
                            .append("` did not match the file exactly:\n\n```\n").append(n.search());
                    if (!n.search().endsWith("\n")) b.append('\n');
                    b.append("```\n");
                    if (!n.nearest().isEmpty()) {
                        b.append("\n  Did you mean these lines (from line ").append(n.nearestLine()).append(")?\n\n```\n")
                                .append(n.nearest());
                        if (!n.nearest().endsWith("\n")) b.append('\n');
                        b.append("```\n");
                    }
                    b.append('\n');
                }
                case Refused r -> b.append("- ").append(r.message()).append("\n\n");
                case Unreadable u -> b.append("- ").append(u.message()).append("\n\n");
            }
        }
        b.append("The SEARCH section must match the existing lines exactly, including whitespace, comments and blank "
                + "lines. Resend only the blocks that failed, each with its file path on the line before it.");
        return b.toString();
    }
}
