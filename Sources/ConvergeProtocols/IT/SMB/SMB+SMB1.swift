import ConvergeModel

extension SMB {
    /// SMB1 commands read beyond the header ([MS-CIFS] 2.2.2.1).
    public enum Command1 {
        public static let treeConnectAndX: UInt8 = 0x75
        public static let negotiate: UInt8 = 0x72
        public static let sessionSetupAndX: UInt8 = 0x73
    }

    /// SMB1 header flag: the message is a reply.
    static let smb1FlagReply: UInt8 = 0x80
    /// SMB1 `Flags2`: strings are Unicode; NT status codes.
    static let smb1Flags2Unicode: UInt16 = 0x8000
    /// SMB1 NEGOTIATE response SecurityMode: signatures required.
    static let smb1SignaturesRequired: UInt16 = 0x08
    /// Length of an LM or NT challenge response; any other non-empty password is plaintext.
    static let challengeResponseLength: UInt16 = 24
    /// Pairing keys of SMB1 requests carry this bit, so they never meet SMB2 message ids.
    static let smb1KeyBit: UInt64 = 1 << 63

    /// Reads the SMB1 header at `header`, its parameter words and byte count, and the fields of
    /// NEGOTIATE, SESSION_SETUP_ANDX and TREE_CONNECT_ANDX that name dialects, hosts and shares.
    static func parseSMB1(
        _ frame: Span<UInt8>, at header: Int, message: inout Message, time: Timestamp, state: inout State
    ) {
        guard frame.count &- header > smb1HeaderLength,
            let status = LE.u32(frame, header &+ 5),
            let flags2 = LE.u16(frame, header &+ 10),
            let treeID = LE.u16(frame, header &+ 24),
            let userID = LE.u16(frame, header &+ 28),
            let multiplexID = LE.u16(frame, header &+ 30)
        else {
            message.anomalies.insert(.invalidLength)
            return
        }
        message.version = .smb1
        message.command = UInt16(frame[header &+ 4])
        message.isResponse = frame[header &+ 9] & smb1FlagReply != 0
        message.status = status
        message.flags = UInt32(flags2)
        message.treeID = UInt32(treeID)
        message.sessionID = UInt64(userID)
        message.messageID = UInt64(multiplexID)
        message.unicode = flags2 & smb1Flags2Unicode != 0
        message.anomalies.insert(.smb1)
        let wordsStart = header &+ smb1HeaderLength &+ 1
        let wordCount = Int(frame[header &+ smb1HeaderLength])
        let byteCountAt = wordsStart &+ wordCount &* 2
        guard let byteCount = LE.u16(frame, byteCountAt) else {
            // An error reply may stop after a zero word count; anything else is cut short.
            if byteCountAt > frame.count { message.anomalies.insert(.invalidLength) }
            state.pair(&message, key: smb1KeyBit | UInt64(multiplexID), time: time)
            return
        }
        let bytesStart = byteCountAt &+ 2
        var bytesEnd = bytesStart &+ Int(byteCount)
        if bytesEnd > frame.count {
            message.anomalies.insert(.invalidLength)
            bytesEnd = frame.count
        }
        let area = SMB1Area(
            header: header, words: wordsStart, wordCount: wordCount, bytes: bytesStart, bytesEnd: bytesEnd)
        readSMB1Body(frame, area, message: &message)
        state.pair(&message, key: smb1KeyBit | UInt64(multiplexID), time: time)
    }

    /// Where an SMB1 message's parameter words and data bytes lie.
    struct SMB1Area {
        var header: Int
        var words: Int
        var wordCount: Int
        var bytes: Int
        var bytesEnd: Int

        /// Parameter word `index`, nil past the word count.
        func word(_ frame: Span<UInt8>, _ index: Int) -> UInt16? {
            index < wordCount ? LE.u16(frame, words &+ index &* 2) : nil
        }
    }

    static func readSMB1Body(_ frame: Span<UInt8>, _ area: SMB1Area, message: inout Message) {
        let command = UInt8(truncatingIfNeeded: message.command)
        switch (command, message.isResponse) {
        case (Command1.negotiate, false):
            // Dialects: 0x02 then a NUL-terminated name, repeated.
            message.dialectsOffset = area.bytes
            message.dialectsLength = area.bytesEnd &- area.bytes
            var index = area.bytes
            var count = 0
            while index < area.bytesEnd, count < maxDialects {
                count &+= 1
                index &+= 1
                while index < area.bytesEnd, frame[index] != 0 { index &+= 1 }
                index &+= 1
            }
            message.dialectCount = UInt16(count)
        case (Command1.negotiate, true):
            guard let index = area.word(frame, 0) else { return }
            message.chosenDialect = index
            // NT LM 0.12 responses (17 words) carry the security mode in the low byte of word 1.
            if area.wordCount == 17, let mode = area.word(frame, 1) {
                message.securityMode = mode & 0xFF
                message.hasSecurityMode = true
                if mode & smb1SignaturesRequired == 0 { message.anomalies.insert(.signingNotRequired) }
            }
        case (Command1.sessionSetupAndX, false):
            sessionSetupRequest(frame, area, message: &message)
        case (Command1.sessionSetupAndX, true):
            // Extended security (4 words): the blob, then the native strings; else strings only.
            var stringsStart = area.bytes
            if area.wordCount == 4, let blobLength = area.word(frame, 3) {
                let blobEnd = area.bytes &+ Int(blobLength)
                guard blobEnd <= area.bytesEnd else {
                    message.anomalies.insert(.invalidLength)
                    return
                }
                NTLMSSP.locate(frame, in: area.bytes..<blobEnd, message: &message)
                stringsStart = blobEnd
            }
            message.nativeOffset = stringsStart
            message.nativeLength = area.bytesEnd &- stringsStart
        case (Command1.treeConnectAndX, false):
            guard let passwordLength = area.word(frame, 3) else { return }
            let pathStart = area.bytes &+ Int(passwordLength)
            guard pathStart <= area.bytesEnd else {
                message.anomalies.insert(.invalidLength)
                return
            }
            message.pathOffset = pathStart
            message.pathLength = area.bytesEnd &- pathStart
        default:
            break
        }
    }

    /// SESSION_SETUP_ANDX request: 12 words with a security blob (extended security), or 13 with
    /// the LM and NT passwords, then account, domain, native OS and LAN manager.
    static func sessionSetupRequest(_ frame: Span<UInt8>, _ area: SMB1Area, message: inout Message) {
        var stringsStart = area.bytes
        if area.wordCount == 12, let blobLength = area.word(frame, 7) {
            let blobEnd = area.bytes &+ Int(blobLength)
            guard blobEnd <= area.bytesEnd else {
                message.anomalies.insert(.invalidLength)
                return
            }
            NTLMSSP.locate(frame, in: area.bytes..<blobEnd, message: &message)
            stringsStart = blobEnd
        } else if area.wordCount == 13, let oemLength = area.word(frame, 7), let unicodeLength = area.word(frame, 8) {
            if oemLength > 0 && oemLength != challengeResponseLength && unicodeLength == 0 {
                message.anomalies.insert(.cleartextPassword)
            }
            stringsStart = area.bytes &+ Int(oemLength) &+ Int(unicodeLength)
            guard stringsStart <= area.bytesEnd else {
                message.anomalies.insert(.invalidLength)
                return
            }
            message.nativeHasAccount = true
        }
        message.nativeOffset = stringsStart
        message.nativeLength = area.bytesEnd &- stringsStart
    }
}
