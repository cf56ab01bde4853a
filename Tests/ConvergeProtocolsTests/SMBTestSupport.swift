import ConvergeModel
import ConvergeProtocols

/// Shared helpers for the SMB tests: byte-commented fixtures and one-call parsing.
enum SMBFixtures {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 445)

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(time: Timestamp(nanoseconds: 0), flowID: 1, client: client, server: server, direction: direction)
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xffff) + le16(v >> 16 & 0xffff) }
    static func utf16(_ text: String) -> [UInt8] { text.utf16.flatMap { le16(Int($0)) } }

    /// A NetBIOS session message around `smb`.
    static func session(_ smb: [UInt8]) -> [UInt8] {
        [0x00, UInt8(smb.count >> 16 & 0xff), UInt8(smb.count >> 8 & 0xff), UInt8(smb.count & 0xff)] + smb
    }

    /// A 64-byte SMB2 header.
    static func smb2Header(command: Int, response: Bool, messageID: Int, next: Int = 0, status: Int = 0) -> [UInt8] {
        [0xFE, 0x53, 0x4D, 0x42]            // protocol id
            + le16(64)                      // structure size
            + le16(1)                       // credit charge
            + le32(status)                  // status
            + le16(command)                 // command
            + le16(1)                       // credits
            + le32(response ? 1 : 0)        // flags: SERVER_TO_REDIR
            + le32(next)                    // next command
            + le32(messageID) + le32(0)     // message id
            + le32(0)                       // reserved (process id)
            + le32(7)                       // tree id
            + le32(0x11) + le32(0)          // session id
            + [UInt8](repeating: 0, count: 16)  // signature
    }

    /// NEGOTIATE request offering 2.0.2, 2.1, 3.0 and 3.1.1 with signing enabled.
    static let negotiateRequest: [UInt8] = session(
        smb2Header(command: 0, response: false, messageID: 0)
            + le16(36)                      // structure size
            + le16(4)                       // dialect count
            + le16(1)                       // security mode: signing enabled
            + le16(0)                       // reserved
            + le32(0x7f)                    // capabilities
            + [UInt8](repeating: 0xAB, count: 16)  // client guid
            + [UInt8](repeating: 0, count: 8)      // negotiate context offset/count
            + le16(0x0202) + le16(0x0210) + le16(0x0300) + le16(0x0311))

    /// NEGOTIATE response choosing 3.1.1, signing enabled but not required.
    static let negotiateResponse: [UInt8] = session(
        smb2Header(command: 0, response: true, messageID: 0)
            + le16(65)                      // structure size
            + le16(1)                       // security mode: enabled only
            + le16(0x0311)                  // dialect
            + le16(0)                       // negotiate context count
            + [UInt8](repeating: 0xCD, count: 16)  // server guid
            + le32(0x2f) + le32(0x80_0000) + le32(0x80_0000) + le32(0x80_0000)  // caps, max sizes
            + [UInt8](repeating: 0, count: 16)     // system time, start time
            + le16(0) + le16(0)             // security buffer offset, length
            + le32(0))                      // negotiate context offset

    /// An NTLMSSP CHALLENGE (unicode, version 10.0.19041) naming FILESRV in CORP / corp.example.
    static func ntlmChallenge() -> [UInt8] {
        let target = utf16("CORP")
        var info: [UInt8] = []
        for (id, text) in [(1, "FILESRV"), (2, "CORP"), (3, "filesrv.corp.example"), (4, "corp.example")] {
            let value = utf16(text)
            info += le16(id) + le16(value.count) + value
        }
        info += le16(0) + le16(0)            // MsvAvEOL
        let fixed = 56
        return Array("NTLMSSP\0".utf8) + le32(2)              // signature, type 2
            + le16(target.count) + le16(target.count) + le32(fixed)   // target name
            + le32(0x0289_8215)             // flags: unicode, version, target info …
            + [UInt8](repeating: 0x11, count: 8)    // server challenge
            + [UInt8](repeating: 0, count: 8)       // reserved
            + le16(info.count) + le16(info.count) + le32(fixed + target.count)  // target info
            + [10, 0] + le16(19041) + [0, 0, 0, 15] // version
            + target + info
    }

    /// An NTLMSSP AUTHENTICATE from WS01 as CORP\alice with an NTLMv2 response (hash bytes are
    /// filler and never read).
    static func ntlmAuthenticate(ntLength: Int = 48, user: String = "alice") -> [UInt8] {
        let domain = utf16("CORP"), name = utf16(user), host = utf16("WS01")
        let lm = [UInt8](repeating: 0, count: 24), nt = [UInt8](repeating: 0x5A, count: ntLength)
        var offset = 72
        func buffer(_ bytes: [UInt8]) -> [UInt8] {
            defer { offset += bytes.count }
            return le16(bytes.count) + le16(bytes.count) + le32(offset)
        }
        let header = Array("NTLMSSP\0".utf8) + le32(3)
            + buffer(lm) + buffer(nt) + buffer(domain) + buffer(name) + buffer(host) + buffer([])
            + le32(0x0208_8215)             // flags: unicode, version …
            + [6, 1] + le16(7601) + [0, 0, 0, 15]   // version
        return header + lm + nt + domain + name + host
    }

    /// SESSION_SETUP response carrying `blob` (a bare NTLMSSP message, as inside SPNEGO).
    static func sessionSetupResponse(_ blob: [UInt8], messageID: Int = 1) -> [UInt8] {
        session(
            smb2Header(command: 1, response: true, messageID: messageID, status: 0xC000_0016)
                + le16(9) + le16(0)          // structure size, session flags
                + le16(72) + le16(blob.count)  // security buffer offset (from header), length
                + blob)
    }

    /// SESSION_SETUP request carrying `blob`.
    static func sessionSetupRequest(_ blob: [UInt8], messageID: Int = 1) -> [UInt8] {
        session(
            smb2Header(command: 1, response: false, messageID: messageID)
                + le16(25) + [0, 1]          // structure size, flags, security mode
                + le32(1) + le32(0)          // capabilities, channel
                + le16(88) + le16(blob.count)  // security buffer offset, length
                + le32(0) + le32(0)          // previous session id
                + blob)
    }

    /// TREE_CONNECT request for \\FILESRV\plant.
    static let treeConnect: [UInt8] = {
        let path = utf16("\\\\FILESRV\\plant")
        return session(
            smb2Header(command: 3, response: false, messageID: 4)
                + le16(9) + le16(0)          // structure size, flags
                + le16(72) + le16(path.count)  // path offset, length
                + path)
    }()

    /// SMB1 NEGOTIATE request offering "NT LM 0.12" and "SMB 2.002".
    static let smb1Negotiate: [UInt8] = {
        let dialects: [UInt8] = [0x02] + Array("NT LM 0.12\0".utf8) + [0x02] + Array("SMB 2.002\0".utf8)
        return session(
            [0xFF, 0x53, 0x4D, 0x42, 0x72]  // protocol id, command NEGOTIATE
                + le32(0)                    // status
                + [0x18] + le16(0xC853)      // flags, flags2 (unicode, NT status …)
                + [UInt8](repeating: 0, count: 12)  // pid high, signature, reserved
                + le16(0) + le16(0xFEFF) + le16(0) + le16(1)  // tid, pid, uid, mid
                + [0]                        // word count
                + le16(dialects.count) + dialects)
    }()

    /// SMB1 SESSION_SETUP_ANDX request, 13 words (no extended security), ASCII strings, with a
    /// plaintext password "secret".
    static let smb1SessionSetupPlain: [UInt8] = {
        let password = Array("secret".utf8)
        let strings = Array("bob\0WORKGROUP\0Unix\0Samba\0".utf8)
        let data = password + strings
        return session(
            [0xFF, 0x53, 0x4D, 0x42, 0x73]  // protocol id, SESSION_SETUP_ANDX
                + le32(0) + [0x18] + le16(0x0001)  // status, flags, flags2 (ASCII)
                + [UInt8](repeating: 0, count: 12)
                + le16(0) + le16(1) + le16(0) + le16(2)  // tid, pid, uid, mid
                + [13]                       // word count
                + [0xFF, 0] + le16(0)        // AndX: none, reserved, offset
                + le16(4356) + le16(1) + le16(0) + le32(0)  // max buffer, max mpx, vc, session key
                + le16(password.count) + le16(0)  // OEM and Unicode password lengths
                + le32(0) + le32(0)          // reserved, capabilities
                + le16(data.count) + data)
    }()
}
