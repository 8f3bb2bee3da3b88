package org.medsettle.assembly;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.medsettle.tools.HisClient;

/**
 * One HTTP/1.1 keep-alive connection to a node's HIS interface, read byte by byte as it arrives: what a test needs to
 * see of the node's side of a connection that an HTTP client library hides (it reconnects, it pools, it may close a
 * connection itself). Each {@link #post} sends one signed request and reads exactly one response (by its
 * {@code Content-Length} or its chunks); a response that does not start where the previous one ended, a
 * {@code Connection: close}, or the node closing the connection is an {@link IOException} saying which.
 */
final class KeepAliveProbe implements Closeable {

    /** One response: its status line's code, its headers (lower case), its body. */
    record Response(int status, String headers, byte[] body) {
    }

    private final URI node;
    private final String hospital;
    private final byte[] key;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int responses;

    KeepAliveProbe(String nodeUrl, String hospital, String keyBase64) throws IOException {
        this.node = URI.create(nodeUrl);
        this.hospital = hospital;
        this.key = Base64.getDecoder().decode(keyBase64.strip());
        this.socket = new Socket(node.getHost(), node.getPort());
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Responses read whole on this connection so far. */
    int responses() {
        return responses;
    }

    Response post(byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream(body.length + 512);
        request.writeBytes(("POST " + HisClient.PATH + " HTTP/1.1\r\nHost: " + node.getHost() + ":" + node.getPort()
                + "\r\nContent-Type: application/json; charset=UTF-8\r\nX-Medsettle-Hospital: " + hospital
                + "\r\nX-Medsettle-Signature: " + sign(body) + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        out.write(request.toByteArray());
        out.flush();

        String head = readUntilBlankLine();
        if (!head.startsWith("HTTP/1.1 ")) {
            throw new IOException("after " + responses + " whole responses the connection carried bytes that do not"
                    + " start a response: " + head.substring(0, Math.min(80, head.length())));
        }
        String headers = head.toLowerCase(Locale.ROOT);
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] content = headers.contains("\r\ntransfer-encoding: chunked") ? readChunks() : readLength(headers);
        responses++;
        if (headers.contains("\r\nconnection: close")) {
            throw new IOException("response " + responses + " closes the connection: " + head.strip());
        }
        return new Response(status, headers, content);
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String readUntilBlankLine() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            head.append((char) readByte());
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < 2 || line.lastIndexOf("\r\n") != line.length() - 2) {
            line.append((char) readByte());
        }
        return line.substring(0, line.length() - 2);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the node closed the connection after " + responses + " whole responses");
        }
        return b;
    }

    private byte[] readLength(String headers) throws IOException {
        int at = headers.indexOf("\r\ncontent-length:");
        if (at < 0) {
            throw new IOException("a response with neither a length nor chunks: " + headers.strip());
        }
        int length = Integer.parseInt(headers.substring(at + 17, headers.indexOf("\r\n", at + 2)).strip());
        return readExactly(length);
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine().split(";", 2)[0].strip(), 16);
            content.writeBytes(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("a chunk longer than its size");
            }
            if (size == 0) {
                return content.toByteArray();
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("the node closed the connection in a response's body: " + bytes.length + " of "
                    + length + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
