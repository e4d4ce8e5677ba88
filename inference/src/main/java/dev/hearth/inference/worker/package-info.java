/// Engine worker processes: the JSON Lines protocol, the worker's side ([WorkerServer]) and the app's side
/// ([EngineClient], an [dev.hearth.inference.Engine] over a child process).
@NullMarked
package dev.hearth.inference.worker;

import org.jspecify.annotations.NullMarked;
