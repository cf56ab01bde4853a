import ConvergeModel

extension MMS {
    /// ISO 8327-1 session SPDU identifiers (SI) seen on MMS associations.
    public enum SPDU {
        /// Give tokens (category 0) and data transfer share SI 1; a DT follows a GT.
        public static let dataTransfer: UInt8 = 1
        public static let pleaseTokens: UInt8 = 2
        public static let expedited: UInt8 = 5
        public static let notFinished: UInt8 = 8
        public static let finish: UInt8 = 9
        public static let disconnect: UInt8 = 10
        public static let refuse: UInt8 = 12
        public static let connect: UInt8 = 13
        public static let accept: UInt8 = 14
        public static let abort: UInt8 = 25
        public static let abortAccept: UInt8 = 26

        /// Whether a first payload byte can start a session SPDU.
        public static func isKnown(_ si: UInt8) -> Bool {
            switch si {
            case dataTransfer, pleaseTokens, expedited, notFinished, finish, disconnect, refuse, connect, accept,
                abort, abortAccept:
                true
            default: false
            }
        }

        public static func name(_ si: UInt8) -> String {
            switch si {
            case dataTransfer: "session_data"
            case pleaseTokens: "session_please_tokens"
            case expedited: "session_expedited"
            case notFinished: "session_not_finished"
            case finish: "session_finish"
            case disconnect: "session_disconnect"
            case refuse: "session_refuse"
            case connect: "session_connect"
            case accept: "session_accept"
            case abort: "session_abort"
            case abortAccept: "session_abort_accept"
            default: "session_unknown"
            }
        }
    }

    /// PGI codes that carry the presentation PDU (user data and extended user data).
    static let userDataPGI: UInt8 = 0xc1
    static let extendedUserDataPGI: UInt8 = 0xc2
    /// Session parameters walked per SPDU at most (a CN has about six).
    static let maxSessionParameters = 32

    /// Where the session user data (the presentation PDU) is inside a user PDU.
    struct SessionUnit {
        var si: UInt8
        var userStart = 0
        var userEnd = 0
        var hasUserData = false
        /// An SPDU length that runs past the user PDU.
        var lengthOverrun = false
    }

    /// The SPDU header at `offset`: SI, then a length of one byte or 0xFF and two bytes.
    static func spduHeader(at offset: Int, in pdu: Span<UInt8>) -> (si: UInt8, parameters: Int, end: Int)? {
        guard let si = pdu.byte(at: offset), let short = pdu.byte(at: offset &+ 1) else { return nil }
        if short == 0xff {
            guard let long = pdu.uint16BE(at: offset &+ 2) else { return nil }
            return (si, offset &+ 4, offset &+ 4 &+ Int(long))
        }
        return (si, offset &+ 2, offset &+ 2 &+ Int(short))
    }

    /// Reads the SPDU(s) at the front of a user PDU. A GT (or PT) is followed by the DT whose
    /// user information is the rest of the PDU; other SPDUs carry it in the user data PGI.
    static func session(_ pdu: Span<UInt8>) -> SessionUnit? {
        guard let header = spduHeader(at: 0, in: pdu) else { return nil }
        var unit = SessionUnit(si: header.si)
        if header.end > pdu.count { unit.lengthOverrun = true }
        if header.si == SPDU.dataTransfer || header.si == SPDU.pleaseTokens {
            var dataStart = min(header.end, pdu.count)
            if pdu.byte(at: header.end) == SPDU.dataTransfer, let dt = spduHeader(at: header.end, in: pdu) {
                if dt.end > pdu.count { unit.lengthOverrun = true }
                dataStart = min(dt.end, pdu.count)
            }
            unit.si = SPDU.dataTransfer
            unit.userStart = dataStart
            unit.userEnd = pdu.count
            unit.hasUserData = dataStart < pdu.count
            return unit
        }
        let end = min(header.end, pdu.count)
        var offset = header.parameters
        var walked = 0
        while offset &+ 2 <= end, walked < maxSessionParameters {
            walked &+= 1
            guard let code = pdu.byte(at: offset), let short = pdu.byte(at: offset &+ 1) else { break }
            var valueStart = offset &+ 2
            var length = Int(short)
            if short == 0xff {
                guard let long = pdu.uint16BE(at: offset &+ 2) else { break }
                valueStart = offset &+ 4
                length = Int(long)
            }
            let valueEnd = valueStart &+ length
            if code == userDataPGI || code == extendedUserDataPGI {
                if valueEnd > end { unit.lengthOverrun = true }
                unit.userStart = min(valueStart, end)
                unit.userEnd = min(valueEnd, end)
                unit.hasUserData = unit.userStart < unit.userEnd
                return unit
            }
            offset = valueEnd
        }
        return unit
    }
}
