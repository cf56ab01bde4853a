import ConvergeModel

extension SMB {
    /// SMB2 commands ([MS-SMB2] 2.2.1.2).
    public enum Command2 {
        public static let negotiate: UInt16 = 0x00
        public static let sessionSetup: UInt16 = 0x01
        public static let logoff: UInt16 = 0x02
        public static let treeConnect: UInt16 = 0x03
        public static let cancel: UInt16 = 0x0C
        public static let oplockBreak: UInt16 = 0x12
        /// The highest defined command.
        public static let last: UInt16 = 0x12
    }

    /// SMB2 header flag: the message is a response.
    static let smb2FlagResponse: UInt32 = 0x0000_0001
    /// SecurityMode bits ([MS-SMB2] 2.2.3).
    public static let signingEnabled: UInt16 = 0x0001
    public static let signingRequired: UInt16 = 0x0002
    /// Dialects read from a NEGOTIATE request; a longer list is counted only this far.
    public static let maxDialects = 64
    /// The message id of an unsolicited oplock break notification.
    static let unsolicitedMessageID: UInt64 = .max

    /// Reads the SMB2 header at `header` and the few fields its command names a host, user or
    /// share by. Returns where this command ends (the next compound command, or `end`).
    static func parseSMB2(
        _ frame: Span<UInt8>, at header: Int, end: Int, message: inout Message, time: Timestamp, state: inout State
    ) -> Int {
        guard end &- header >= smb2HeaderLength,
            let structureSize = LE.u16(frame, header &+ 4),
            let status = LE.u32(frame, header &+ 8),
            let command = LE.u16(frame, header &+ 12),
            let flags = LE.u32(frame, header &+ 16),
            let next = LE.u32(frame, header &+ 20),
            let messageID = LE.u64(frame, header &+ 24),
            let treeID = LE.u32(frame, header &+ 36),
            let sessionID = LE.u64(frame, header &+ 40)
        else {
            message.anomalies.insert(.invalidLength)
            return end
        }
        message.version = .smb2
        message.command = command
        message.status = status
        message.flags = flags
        message.messageID = messageID
        message.treeID = treeID
        message.sessionID = sessionID
        message.isResponse = flags & smb2FlagResponse != 0
        if structureSize != 64 { message.anomalies.insert(.invalidStructureSize) }
        if command > Command2.last { message.anomalies.insert(.unknownCommand) }
        var commandEnd = end
        if next != 0 {
            let nextOffset = Int(next)
            if nextOffset % 8 == 0, nextOffset >= smb2HeaderLength, nextOffset <= end &- header {
                message.nextCommand = next
                commandEnd = header &+ nextOffset
            } else {
                message.anomalies.insert(.invalidCompound)
            }
        }
        let body = frame.extracting(0..<commandEnd)
        readSMB2Body(body, header: header, message: &message, state: &state)
        if command != Command2.cancel && messageID != unsolicitedMessageID
            && !(command == Command2.negotiate && message.isResponse)
        {
            state.pair(&message, key: messageID, time: time)
        }
        return commandEnd
    }

    /// Command bodies: NEGOTIATE, SESSION_SETUP and TREE_CONNECT; the rest is skipped.
    static func readSMB2Body(_ frame: Span<UInt8>, header: Int, message: inout Message, state: inout State) {
        let body = header &+ smb2HeaderLength
        switch (message.command, message.isResponse) {
        case (Command2.negotiate, false):
            guard let count = LE.u16(frame, body &+ 2), let mode = LE.u16(frame, body &+ 4) else {
                message.anomalies.insert(.invalidLength)
                return
            }
            message.securityMode = mode
            message.hasSecurityMode = true
            let listStart = body &+ 36
            let fits = max(0, (frame.count &- listStart) / 2)
            if Int(count) > fits { message.anomalies.insert(.invalidLength) }
            let listed = min(Int(count), fits, maxDialects)
            message.dialectCount = count
            message.dialectsOffset = listStart
            message.dialectsLength = listed &* 2
            for index in 0..<listed {
                if let dialect = LE.u16(frame, listStart &+ index &* 2), dialect > message.highestDialect,
                    dialect != 0x02FF
                {
                    message.highestDialect = dialect
                }
            }
        case (Command2.negotiate, true):
            guard message.status == 0 else { return }
            guard let mode = LE.u16(frame, body &+ 2), let dialect = LE.u16(frame, body &+ 4) else {
                message.anomalies.insert(.invalidLength)
                return
            }
            message.securityMode = mode
            message.hasSecurityMode = true
            message.chosenDialect = dialect
            state.dialect = dialect
            state.signingRequired = mode & signingRequired != 0
            if mode & signingRequired == 0 { message.anomalies.insert(.signingNotRequired) }
            securityBlob(frame, header: header, field: body &+ 56, message: &message)
        case (Command2.sessionSetup, false):
            securityBlob(frame, header: header, field: body &+ 12, message: &message)
        case (Command2.sessionSetup, true):
            securityBlob(frame, header: header, field: body &+ 4, message: &message)
        case (Command2.treeConnect, false):
            guard let offset = LE.u16(frame, body &+ 4), let length = LE.u16(frame, body &+ 6) else {
                message.anomalies.insert(.invalidLength)
                return
            }
            let start = header &+ Int(offset)
            let stop = start &+ Int(length)
            guard length > 0 else { return }
            guard start >= body, stop <= frame.count else {
                message.anomalies.insert(.invalidLength)
                return
            }
            message.pathOffset = start
            message.pathLength = Int(length)
            message.unicode = true
        default:
            break
        }
    }

    /// A security buffer named by a 16-bit offset (from the SMB2 header) and length at `field`:
    /// finds the NTLMSSP message inside it.
    static func securityBlob(_ frame: Span<UInt8>, header: Int, field: Int, message: inout Message) {
        guard let offset = LE.u16(frame, field), let length = LE.u16(frame, field &+ 2) else {
            message.anomalies.insert(.invalidLength)
            return
        }
        guard length > 0 else { return }
        let start = header &+ Int(offset)
        let stop = start &+ Int(length)
        guard start >= header &+ smb2HeaderLength, stop <= frame.count else {
            message.anomalies.insert(.invalidLength)
            return
        }
        NTLMSSP.locate(frame, in: start..<stop, message: &message)
    }
}
