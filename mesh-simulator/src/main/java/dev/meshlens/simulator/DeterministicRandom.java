package dev.meshlens.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A SecureRandom that is a pure function of its seed (SHA-256 in counter mode), so key pairs
 * and therefore certificates, fingerprints and /certs output are reproducible. Test data only.
 */
final class DeterministicRandom extends SecureRandom {
    private final byte[] seed;
    private long counter;
    private byte[] block = new byte[0];
    private int pos;

    DeterministicRandom(long seed, String label) {
        super(new byte[0]);
        this.seed = (seed + "/" + label).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (pos >= block.length) {
                refill();
            }
            out[i] = block[pos++];
        }
    }

    @Override
    public byte[] generateSeed(int n) {
        byte[] b = new byte[n];
        nextBytes(b);
        return b;
    }

    @Override
    public void setSeed(long s) {
        // ignored: the seed is fixed at construction
    }

    @Override
    public void setSeed(byte[] s) {
        // ignored
    }

    private void refill() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(seed);
            md.update(ByteBuffer.allocate(8).putLong(counter++).array());
            block = md.digest();
            pos = 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
