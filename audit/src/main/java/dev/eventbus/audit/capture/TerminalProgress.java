package dev.eventbus.audit.capture;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar (me.tongfei:progressbar) on the terminal's error stream. */
public final class TerminalProgress implements Progress {
    private final ProgressBar bar;
    private long max;

    public TerminalProgress(PrintStream stream) {
        this.bar = new ProgressBarBuilder()
                .setTaskName("Capturing")
                .setInitialMax(0)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .hideEta()
                .build();
    }

    @Override
    public synchronized void expect(long steps) {
        max += steps;
        bar.maxHint(max);
    }

    @Override
    public synchronized void step(String what) {
        bar.setExtraMessage(what);
        bar.step();
    }

    @Override
    public synchronized void close() {
        bar.stepTo(Math.max(bar.getCurrent(), max)); // steps expected but skipped (e.g. JSZ without JetStream)
        bar.setExtraMessage("done");
        bar.close();
    }
}
