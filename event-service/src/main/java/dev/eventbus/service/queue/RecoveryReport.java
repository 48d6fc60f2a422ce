package dev.eventbus.service.queue;

import java.time.Duration;
import java.util.List;

/**
 * What opening the data directory found.
 *
 * @param segments       segment files kept
 * @param records        valid records read
 * @param pendingEvents  events with at least one handler still to deliver
 * @param truncatedBytes bytes cut from the end of the last segment (a torn or corrupt tail: expected after a crash)
 * @param problems       anything else worth an operator's attention (corruption inside an older segment, an ack
 *                       offset past the end of the log)
 */
public record RecoveryReport(int segments, long records, int pendingEvents, long truncatedBytes, List<String> problems,
                             Duration took) {}
