package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

class HubHttpClientTest {
    @Test
    void theClientMadeOnFirstUseIsKeptAndFollowsNoRedirectsItself() {
        var client = HubHttp.defaultClientOnFirstUse();
        var first = client.get();
        assertSame(first, client.get());
        assertEquals(HttpClient.Redirect.NEVER, first.followRedirects());
    }
}
