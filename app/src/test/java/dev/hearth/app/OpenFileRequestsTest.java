package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenFileRequestsTest {
    @Test
    void filesRequestedBeforeTheWindowIsReadyAreOpenedWhenItIs() {
        var requests = new OpenFileRequests();
        var opened = new ArrayList<Path>();
        requests.request(Path.of("/m/a.gguf"));
        requests.request(Path.of("/m/b.gguf"));
        assertEquals(List.of(), opened);

        requests.ready(opened::add);
        assertEquals(List.of(Path.of("/m/a.gguf"), Path.of("/m/b.gguf")), opened);
    }

    @Test
    void filesRequestedOnceTheWindowIsReadyGoStraightToIt() {
        var requests = new OpenFileRequests();
        var opened = new ArrayList<Path>();
        requests.ready(opened::add);
        requests.request(Path.of("/m/c.gguf"));
        requests.request(Path.of("/m/c.gguf"));
        assertEquals(List.of(Path.of("/m/c.gguf"), Path.of("/m/c.gguf")), opened);
    }
}
