package dev.hearth.inference.worker;

import dev.hearth.inference.Engine;

/// The engine contract on llama.cpp in an engine worker process.
class WorkerEngineContractTest extends EngineContract {
    @Override
    Engine createEngine() {
        return WorkerTestSupport.startWorker();
    }
}
