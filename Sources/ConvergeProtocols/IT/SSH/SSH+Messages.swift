import ConvergeModel

extension SSH {
    /// Message numbers (RFC 4250 4.1) read or named here.
    public enum MessageCode {
        public static let disconnect: UInt8 = 1
        public static let kexinit: UInt8 = 20
        public static let newKeys: UInt8 = 21
    }

    /// snake_case name of a message number; the 30–49 range is the key exchange method's own.
    public static func messageName(_ code: UInt8) -> String {
        switch code {
        case 1: "disconnect"
        case 2: "ignore"
        case 3: "unimplemented"
        case 4: "debug"
        case 5: "service_request"
        case 6: "service_accept"
        case 7: "ext_info"
        case 8: "newcompress"
        case 20: "kexinit"
        case 21: "newkeys"
        case 30: "kex_dh_init"
        case 31: "kex_dh_reply"
        case 32: "kex_dh_gex_init"
        case 33: "kex_dh_gex_reply"
        case 34: "kex_dh_gex_request"
        case 50: "userauth_request"
        case 51: "userauth_failure"
        case 52: "userauth_success"
        case 53: "userauth_banner"
        case 80: "global_request"
        case 90: "channel_open"
        default: "message_\(code)"
        }
    }

    static func operation(_ code: UInt8) -> Operation {
        switch code {
        case 50...79: .auth
        case 2, 4: .diagnostic
        default: .session
        }
    }
}
