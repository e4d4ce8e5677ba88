package dev.hearth.inference.worker;

import dev.hearth.inference.Engine;
import dev.hearth.inference.llama.LlamaEngine;

/// The engine contract on llama.cpp in this JVM.
class InProcessEngineContractTest extends EngineContract {
    @Override
    Engine createEngine() {
        return LlamaEngine.open(WorkerTestSupport.library());
    }
}
