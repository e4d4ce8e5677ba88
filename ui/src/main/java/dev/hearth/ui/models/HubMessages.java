package dev.hearth.ui.models;

import dev.hearth.inference.hub.HubException;
import dev.hearth.inference.library.LibraryException;

/// One plain sentence for each Hub, download and library failure, as the Models section shows it in place.
public final class HubMessages {
    private HubMessages() {}

    /// What went wrong with a search, a listing or a download, and what the user can do.
    public static String sentence(HubException e) {
        return switch (e.kind()) {
            case REPO_NOT_FOUND -> "This repository does not exist on the Hub, or it is private (set a Hub token in the settings).";
            case REVISION_NOT_FOUND -> "This branch, tag or commit does not exist in the repository.";
            case FILE_NOT_FOUND -> "The file is no longer in the repository: list its files again.";
            case GATED -> "This repository is gated: accept its licence on the Hub, then set a Hub token in the settings.";
            case UNAUTHORIZED -> "The Hub refused the token: check the token in the settings (or HF_TOKEN).";
            case NO_GGUF -> "This repository has no GGUF files.";
            case SERVER_ERROR -> "The Hub is having trouble right now; try again in a moment.";
            case NETWORK -> "Hearth cannot reach the Hub: check the network connection (or HF_ENDPOINT).";
            case CHECKSUM_MISMATCH -> "The download did not match the Hub's checksum, so nothing was kept: try again.";
            case NOT_ENOUGH_SPACE -> "There is not enough free disk space for this download.";
            case DISK_FULL -> "The disk filled up during the download; nothing was added. Free some space and retry.";
            case NOT_WRITABLE -> "Hearth may not write to the models folder.";
            case UNSAFE_PATH -> "The repository names a file outside its own folder; Hearth refused it.";
            case ALREADY_DOWNLOADING -> "This file is already being downloaded.";
            case CANCELLED -> "The download was cancelled.";
            case IO_ERROR -> "The download could not be written to disk.";
        };
    }

    /// What went wrong with an import or a removal.
    public static String sentence(LibraryException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> "The file is not there any more.";
            case READ_ONLY -> "This model belongs to another tool; remove it there. Hearth only lists it.";
            case NOT_GGUF -> "This is not a GGUF model file.";
            case ALREADY_EXISTS -> "The library already has a model with this file name.";
            case NOT_WRITABLE -> "Hearth may not write to the models folder.";
            case IO_ERROR -> "The file could not be copied or removed.";
        };
    }

    /// Any failure from a background task, in one sentence; Hub and library failures get their own.
    public static String sentence(Throwable failure) {
        return switch (failure) {
            case HubException h -> sentence(h);
            case LibraryException l -> sentence(l);
            default -> "Something went wrong: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        };
    }
}
