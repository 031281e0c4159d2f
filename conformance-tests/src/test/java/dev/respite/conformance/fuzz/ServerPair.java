package dev.respite.conformance.fuzz;

import dev.respite.conformance.support.RespReader;
import dev.respite.conformance.support.RespReader.Value;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One connection to Respite and one to the reference server; each step goes to both and the replies are compared. */
final class ServerPair implements AutoCloseable {
    /** What one step answered on each side, in comparable form, one entry per command. */
    record Outcome(List<String> reference, List<String> respite) {
        int firstDifference() {
            for (int i = 0; i < reference.size(); i++) {
                if (!reference.get(i).equals(respite.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final Wire reference;
    private final Wire respite;

    ServerPair(int referencePort, int respitePort) throws IOException {
        reference = new Wire("Redis 7.2.5", referencePort);
        respite = new Wire("Respite", respitePort);
    }

    /** Empties both servers and sets RESP2, as at the start of a run. */
    void reset() throws IOException {
        for (Wire w : List.of(reference, respite)) {
            w.call(Step.words("DISCARD"));
            w.call(Step.words("UNWATCH"));
            w.call(Step.words("HELLO", "2"));
            w.call(Step.words("FLUSHALL"));
        }
    }

    Value callReference(byte[][] args) throws IOException {
        return reference.call(args);
    }

    Value callRespite(byte[][] args) throws IOException {
        return respite.call(args);
    }

    Outcome run(Step step) throws IOException {
        List<String> ref = answers(reference, step);
        List<String> ours = answers(respite, step);
        if (!step.compared()) {
            return new Outcome(List.of(), List.of());
        }
        return new Outcome(ref, ours);
    }

    private static List<String> answers(Wire w, Step step) throws IOException {
        List<String> out = new ArrayList<>();
        List<byte[][]> queued = new ArrayList<>();
        boolean inMulti = false;
        for (byte[][] cmd : step.commands()) {
            Value reply;
            try {
                reply = w.call(cmd);
            } catch (SocketTimeoutException e) {
                throw new IOException(w.name + " gave no reply within 10 s to: " + String.join(" / ", step.lines()), e);
            }
            String name = new String(cmd[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (name.equals("exec") && inMulti) {
                out.add(ReplyForm.ofExec(queued, reply));
            } else {
                out.add(ReplyForm.of(cmd, reply));
            }
            if (name.equals("multi")) {
                inMulti = true;
            } else if (inMulti && reply.text().equals("QUEUED")) {
                queued.add(cmd);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        reference.close();
        respite.close();
    }

    /** A socket speaking RESP with a strict reader. */
    private static final class Wire implements AutoCloseable {
        private final String name;
        private final Socket socket;
        private final OutputStream out;
        private final RespReader reader;

        Wire(String name, int port) throws IOException {
            this.name = name;
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            reader = new RespReader(new BufferedInputStream(socket.getInputStream()));
        }

        Value call(byte[][] args) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buf.writeBytes(a);
                buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buf.toByteArray());
            out.flush();
            return reader.read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
