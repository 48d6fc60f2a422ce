package dev.eventbus.audit.capture;

import java.nio.file.Path;
import java.util.List;

/**
 * What a capture did.
 *
 * @param archive   the file written
 * @param servers   every server asked, captured or not
 * @param responses endpoint responses stored
 * @param problems  things that should have been captured and were not (see the capture log)
 */
public record CaptureResult(Path archive, List<CapturedServer> servers, int responses, int problems) {
    public long capturedServers() { return servers.stream().filter(CapturedServer::ok).count(); }
}
