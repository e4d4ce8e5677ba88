/// Hearth's session log: everything Hearth runs, kept in one SQLite database.
///
/// [SessionLog] is the API (verbs and row records); [SqliteSessionLog] is its one implementation and the only
/// class with SQL. Schema changes are numbered resource files (`db/V001__initial.sql`, …) applied at open.
/// This module knows nothing of the engine or of JavaFX: the app maps engine events to these records.
@NullMarked
package dev.hearth.storage;

import org.jspecify.annotations.NullMarked;
