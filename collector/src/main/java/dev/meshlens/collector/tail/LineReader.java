package dev.meshlens.collector.tail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a finished stream (a file or standard input given to {@code explain}), read as
 * {@link FileTailer} reads a followed file: {@code '\n'} ends a line and a {@code '\r'} before it
 * is dropped, a line longer than {@code maxLineBytes} is cut (the rest skipped up to its newline),
 * and each line is decoded by {@link LineDecoder}, so invalid UTF-8 is decoded lossily and flagged
 * instead of ending the read. A last line without a newline is returned too. Not thread-safe.
 */
public final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final LineDecoder decoder = new LineDecoder();
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private byte[] line = new byte[1024];

    /** @param maxLineBytes lines longer than this are cut and flagged {@code TOO_LONG} */
    public LineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16");
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    public LineDecoder.Decoded next() throws IOException {
        int n = 0;
        boolean cut = false;
        boolean any = false;
        while (true) {
            if (pos == lim) {
                int r = in.read(buf);
                if (r <= 0) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                pos = 0;
                lim = r;
            }
            any = true;
            // copy up to the newline in one go
            int nl = pos;
            while (nl < lim && buf[nl] != '\n') {
                nl++;
            }
            int keep = Math.min(nl - pos, maxLineBytes + 1 - n); // one more than allowed: a '\r' may go
            if (keep > 0) {
                if (n + keep > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, n + keep));
                }
                System.arraycopy(buf, pos, line, n, keep);
                n += keep;
            }
            cut |= keep < nl - pos;
            pos = nl;
            if (nl < lim) {
                pos++; // the newline
                break;
            }
        }
        if (!cut && n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n > maxLineBytes) {
            n = maxLineBytes;
            cut = true;
        }
        return decoder.decode(line, 0, n, cut);
    }
}
