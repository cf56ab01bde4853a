#!/usr/bin/env python3
"""A small RFB (RFC 6143) client written for this fixture: it walks the handshake with the
security type and version it is told, then sends a scripted set of client messages, draining
whatever the server answers. It decodes nothing; the capture is what matters."""
import socket
import struct
import sys
import time

RAW, COPY_RECT, ZRLE = 0, 1, 16
CURSOR, DESKTOP_SIZE, LAST_RECT = -239, -223, -224


def drain(sock, wait=0.4):
    sock.settimeout(wait)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data


def exact(sock, n):
    sock.settimeout(5)
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("server closed")
        data += chunk
    return data


def session(port, version, security, encodings, pixel_format=None, typing=True):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(data):
        # One message a segment: tshark's VNC dissector reads only the first message of a segment.
        sock.sendall(data)
        time.sleep(0.02)

    server_version = exact(sock, 12)
    send(version)
    if version == b"RFB 003.003\n":
        (chosen,) = struct.unpack("!I", exact(sock, 4))
    else:
        (count,) = struct.unpack("!B", exact(sock, 1))
        offered = exact(sock, count)
        chosen = security if security in offered else offered[0]
        send(bytes([chosen]))
    if chosen == 2:
        exact(sock, 16)
        send(b"\x55" * 16)  # a wrong DES response: the server refuses
        print(server_version, "auth result", drain(sock, 1.0))
        sock.close()
        return
    if version == b"RFB 003.008\n":
        exact(sock, 4)
    send(b"\x01")  # ClientInit, shared
    width, height = struct.unpack("!HH", exact(sock, 4))
    exact(sock, 16)
    (name_length,) = struct.unpack("!I", exact(sock, 4))
    name = exact(sock, name_length)
    print("desktop", width, height, name)
    if pixel_format is not None:
        send(b"\x00\x00\x00\x00" + pixel_format)
    send(struct.pack("!BBH", 2, 0, len(encodings)) + b"".join(struct.pack("!i", e) for e in encodings))
    send(struct.pack("!BBHHHH", 3, 0, 0, 0, width, height))
    drain(sock)
    if typing:
        for key in (0x61, 0xFF0D):  # 'a', Return
            send(struct.pack("!BBHI", 4, 1, 0, key))
            send(struct.pack("!BBHI", 4, 0, 0, key))
        send(struct.pack("!BBHH", 5, 0, 10, 10))
        send(struct.pack("!BBHH", 5, 1, 10, 10))
        send(struct.pack("!BBHH", 5, 0, 10, 10))
        text = b"clipboard text"
        send(struct.pack("!BxxxI", 6, len(text)) + text)
    send(struct.pack("!BBHHHH", 3, 1, 0, 0, width, height))
    drain(sock)
    send(struct.pack("!BBHHHH", 3, 0, 0, 0, width // 2, height // 2))
    drain(sock)
    sock.close()


def main():
    port = int(sys.argv[1])
    step = sys.argv[2]
    v38, v33, v37 = b"RFB 003.008\n", b"RFB 003.003\n", b"RFB 003.007\n"
    # 16 bits per pixel, depth 16, little-endian, true colour 5-6-5.
    rgb565 = struct.pack("!BBBBHHHBBBxxx", 16, 16, 0, 1, 31, 63, 31, 11, 5, 0)
    if step == "auth":
        session(port, v38, 2, [])
    elif step == "none":
        session(port, v38, 1, [RAW, COPY_RECT, CURSOR, DESKTOP_SIZE, LAST_RECT])
        session(port, v37, 1, [ZRLE, RAW, LAST_RECT], typing=False)
        session(port, v33, 1, [RAW], pixel_format=rgb565, typing=False)
    time.sleep(0.2)


main()
