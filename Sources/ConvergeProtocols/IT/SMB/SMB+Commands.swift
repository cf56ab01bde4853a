import ConvergeModel

extension SMB {
    /// SMB2 command names in snake_case, by code ([MS-SMB2] 2.2.1.2).
    static let smb2Names = [
        "negotiate", "session_setup", "logoff", "tree_connect", "tree_disconnect", "create", "close",
        "flush", "read", "write", "lock", "ioctl", "cancel", "echo", "query_directory", "change_notify",
        "query_info", "set_info", "oplock_break",
    ]

    /// The command's name: SMB2's, or SMB1's (`smb1.` and the name, or the hex code).
    public static func functionName(_ message: Message) -> String {
        switch message.version {
        case .session: return sessionName(message.sessionType)
        case .encrypted: return "encrypted"
        case .compressed: return "compressed"
        case .smb2:
            let code = Int(message.command)
            return code < smb2Names.count ? smb2Names[code] : "unknown_\(code)"
        case .smb1:
            return "smb1." + smb1Name(UInt8(truncatingIfNeeded: message.command))
        }
    }

    static func sessionName(_ type: UInt8) -> String {
        switch type {
        case SessionType.request: "session_request"
        case SessionType.positiveResponse: "positive_session_response"
        case SessionType.negativeResponse: "negative_session_response"
        case SessionType.retargetResponse: "retarget_session_response"
        case SessionType.keepAlive: "session_keep_alive"
        default: "session_message"
        }
    }

    /// The SMB1 commands seen in practice ([MS-CIFS] 2.2.2.1); others by hex code.
    static func smb1Name(_ command: UInt8) -> String {
        switch command {
        case 0x04: "close"
        case 0x06: "delete"
        case 0x07: "rename"
        case 0x24: "locking_andx"
        case 0x25: "trans"
        case 0x2B: "echo"
        case 0x2D: "open_andx"
        case 0x2E: "read_andx"
        case 0x2F: "write_andx"
        case 0x32: "trans2"
        case 0x33: "trans2_secondary"
        case 0x34: "find_close2"
        case 0x70: "tree_connect"
        case 0x71: "tree_disconnect"
        case 0x72: "negotiate"
        case 0x73: "session_setup_andx"
        case 0x74: "logoff_andx"
        case 0x75: "tree_connect_andx"
        case 0xA0: "nt_trans"
        case 0xA2: "nt_create_andx"
        case 0xA4: "nt_cancel"
        default: "0x" + String(command, radix: 16)
        }
    }

    /// What the command does: session and auth housekeeping, reading, writing, discovery.
    public static func operation(_ message: Message) -> Operation {
        switch message.version {
        case .session, .encrypted, .compressed: return .session
        case .smb2:
            switch message.command {
            case 0x00, 0x02, 0x03, 0x04, 0x0C, 0x0D, 0x12: return .session
            case 0x01: return .auth
            case 0x05, 0x06, 0x07: return .other
            case 0x08, 0x0E, 0x0F, 0x10: return .read
            case 0x09, 0x0A, 0x11: return .write
            case 0x0B: return .control
            default: return .other
            }
        case .smb1:
            switch UInt8(truncatingIfNeeded: message.command) {
            case 0x72, 0x71, 0x74, 0x75, 0x70, 0x2B, 0x04, 0xA4: return .session
            case 0x73: return .auth
            case 0x2E, 0x34: return .read
            case 0x2F, 0x06, 0x07, 0x24: return .write
            case 0x25, 0x32, 0x33, 0xA0: return .control
            default: return .other
            }
        }
    }
}
