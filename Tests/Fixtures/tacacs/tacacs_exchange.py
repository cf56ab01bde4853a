#!/usr/bin/env python3
"""A TACACS+ (RFC 8907) client and server written for this fixture, talking over real TCP on
127.0.0.1:49: bodies are built by hand and obfuscated with the MD5 pad of RFC 8907 4.5 unless a
session sets TAC_PLUS_UNENCRYPTED_FLAG. No TACACS+ daemon is packaged in Debian."""
import hashlib
import socket
import struct
import threading
import time

SECRET = b"tac-key"
UNENCRYPTED, SINGLE_CONNECT = 0x01, 0x04
AUTHEN, AUTHOR, ACCT = 1, 2, 3


def pad(session, version, seq, length):
    out, last = b"", b""
    while len(out) < length:
        last = hashlib.md5(struct.pack("!I", session) + SECRET + bytes([version, seq]) + last).digest()
        out += last
    return out[:length]


def packet(kind, seq, flags, session, body, version=0xC0):
    if not flags & UNENCRYPTED:
        body = bytes(a ^ b for a, b in zip(body, pad(session, version, seq, len(body))))
    return struct.pack("!BBBBII", version, kind, seq, flags, session, len(body)) + body


def read_packet(sock):
    header = b""
    while len(header) < 12:
        chunk = sock.recv(12 - len(header))
        if not chunk:
            return None
        header += chunk
    version, kind, seq, flags, session, length = struct.unpack("!BBBBII", header)
    body = b""
    while len(body) < length:
        body += sock.recv(length - len(body))
    return version, kind, seq, flags, session, body


def serve(listener):
    while True:
        conn, _ = listener.accept()
        while (got := read_packet(conn)) is not None:
            version, kind, seq, flags, session, _ = got
            if kind == AUTHEN and seq == 1 and session == 0x1001:
                body = struct.pack("!BBHH", 5, 0x01, 9, 0) + b"Password:"        # GETPASS, no echo
            elif kind == AUTHEN:
                body = struct.pack("!BBHH", 1, 0, 0, 0)                           # PASS
            elif kind == AUTHOR:
                arg = b"priv-lvl=15"
                body = struct.pack("!BBHHB", 1, 1, 0, 0, len(arg)) + arg           # PASS_ADD
            else:
                body = struct.pack("!HHB", 0, 0, 1)                               # SUCCESS
            time.sleep(0.02)
            conn.sendall(packet(kind, seq + 1, flags & UNENCRYPTED, session, body, version))
        conn.close()


def start(action, authen_type, user, port, rem_addr, data):
    return struct.pack("!BBBBBBBB", action, 1, authen_type, 1, len(user), len(port), len(rem_addr), len(data)) \
        + user + port + rem_addr + data


def author(user, port, rem_addr, args):
    return struct.pack("!BBBBBBBB", 6, 1, 1, 1, len(user), len(port), len(rem_addr), len(args)) \
        + bytes(len(a) for a in args) + user + port + rem_addr + b"".join(args)


def acct(user, port, rem_addr, args):
    return struct.pack("!BBBBBBBBB", 0x02, 6, 1, 1, 1, len(user), len(port), len(rem_addr), len(args)) \
        + bytes(len(a) for a in args) + user + port + rem_addr + b"".join(args)


def exchange(steps):
    sock = socket.create_connection(("127.0.0.1", 49))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for kind, seq, flags, session, body, version in steps:
        sock.sendall(packet(kind, seq, flags, session, body, version))
        read_packet(sock)
    sock.close()


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 49))
    listener.listen(5)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    # Obfuscated ASCII login: START, GETPASS, CONTINUE with the password, PASS.
    cont = struct.pack("!HHB", 10, 0, 0) + b"hunter2-no"
    exchange([(AUTHEN, 1, 0, 0x1001, start(1, 1, b"admin", b"tty0", b"10.30.0.5", b""), 0xC0),
              (AUTHEN, 3, 0, 0x1001, cont, 0xC0)])
    # Unencrypted PAP: the password travels in the START's data in the clear.
    exchange([(AUTHEN, 1, UNENCRYPTED, 0x1002, start(1, 2, b"operator", b"vty1", b"10.30.0.6", b"plain-pw"), 0xC1)])
    # Unencrypted authorization, then obfuscated accounting.
    exchange([(AUTHOR, 1, UNENCRYPTED, 0x1003, author(b"operator", b"vty1", b"10.30.0.6",
                                                       [b"service=shell", b"cmd=show"]), 0xC0)])
    exchange([(ACCT, 1, 0, 0x1004, acct(b"admin", b"tty0", b"10.30.0.5", [b"task_id=1", b"service=shell"]), 0xC0)])
    time.sleep(0.2)


main()
