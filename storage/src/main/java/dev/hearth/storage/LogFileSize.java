package dev.hearth.storage;

/// How much disk the session log takes.
///
/// @param databaseBytes the database file
/// @param walBytes      its write-ahead log (`-wal` file), 0 when there is none
/// @param freeBytes     pages inside the database that hold nothing (what [SessionLog#vacuum()] gives back)
public record LogFileSize(long databaseBytes, long walBytes, long freeBytes) {
    public LogFileSize {
        if (databaseBytes < 0 || walBytes < 0 || freeBytes < 0) throw new IllegalArgumentException("sizes < 0");
    }

    /// Database and write-ahead log together.
    public long totalBytes() {
        return databaseBytes + walBytes;
    }
}
