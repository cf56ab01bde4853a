extension VNC {
    /// IANA's RFB security type names, snake_case.
    public static func securityTypeName(_ type: UInt32) -> String {
        switch type {
        case 0: "invalid"
        case 1: "none"
        case 2: "vnc_auth"
        case 5: "ra2"
        case 6: "ra2ne"
        case 16: "tight"
        case 17: "ultra"
        case 18: "tls"
        case 19: "vencrypt"
        case 20: "sasl"
        case 21: "md5"
        case 22: "xvp"
        case 30: "apple_ard"
        default: "type_" + String(type)
        }
    }

    public static func stepName(_ code: UInt8) -> String {
        switch Step(rawValue: code) {
        case .serverVersion: "server_version"
        case .clientVersion: "client_version"
        case .securityTypes: "security_types"
        case .securityTypeSelected: "security_type_selected"
        case .vncAuthChallenge: "vnc_auth_challenge"
        case .vncAuthResponse: "vnc_auth_response"
        case .securityResult: "security_result"
        case .clientInit: "client_init"
        case .serverInit: "server_init"
        case nil: "step_" + String(code)
        }
    }

    public static func clientTypeName(_ type: UInt8) -> String {
        switch type {
        case ClientType.setPixelFormat: "set_pixel_format"
        case ClientType.setEncodings: "set_encodings"
        case ClientType.framebufferUpdateRequest: "framebuffer_update_request"
        case ClientType.keyEvent: "key_event"
        case ClientType.pointerEvent: "pointer_event"
        case ClientType.clientCutText: "client_cut_text"
        case ClientType.enableContinuousUpdates: "enable_continuous_updates"
        case ClientType.clientFence: "client_fence"
        default: "client_type_" + String(type)
        }
    }

    public static func serverTypeName(_ type: UInt8) -> String {
        switch type {
        case ServerType.framebufferUpdate: "framebuffer_update"
        case ServerType.setColourMapEntries: "set_colour_map_entries"
        case ServerType.bell: "bell"
        case ServerType.serverCutText: "server_cut_text"
        case ServerType.endOfContinuousUpdates: "end_of_continuous_updates"
        case ServerType.serverFence: "server_fence"
        default: "server_type_" + String(type)
        }
    }

    public static func functionName(_ message: Message) -> String {
        switch message.kind {
        case .handshake: stepName(message.code)
        case .client: clientTypeName(message.code)
        case .server: serverTypeName(message.code)
        case .rectangle: "rectangle"
        case .steppedOver: "stepped_over"
        }
    }

    /// Summary keys: client types under their number, server types as `server.N`.
    public static func functionKey(_ code: Int) -> String {
        code >= serverCodeBase && code < handshakeCodeBase ? "server." + String(code &- serverCodeBase) : String(code)
    }

    /// "RFB 003.008" from a minor number.
    static func versionText(_ minor: UInt32) -> String {
        let digits = String(minor % 1000)
        return "RFB 003." + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
