import ConvergeModel

extension VNC {
    /// What a parsed unit of the stream is.
    public enum Kind: UInt8, Sendable {
        /// A handshake step (`Step`): a message, not counted.
        case handshake
        case client, server
        /// A framebuffer rectangle header: walked, not a message.
        case rectangle
        /// Pixel data, cut text or an opaque tail: stepped over.
        case steppedOver
    }

    /// Handshake steps, numbered for events (`handshakeCodeBase` + step).
    public enum Step: UInt8, Sendable {
        case serverVersion = 1, clientVersion, securityTypes, securityTypeSelected
        case vncAuthChallenge, vncAuthResponse, securityResult, clientInit, serverInit
    }

    /// Client message types (`vnc.client_message_type`).
    public enum ClientType {
        public static let setPixelFormat: UInt8 = 0
        public static let setEncodings: UInt8 = 2
        public static let framebufferUpdateRequest: UInt8 = 3
        public static let keyEvent: UInt8 = 4
        public static let pointerEvent: UInt8 = 5
        public static let clientCutText: UInt8 = 6
        public static let enableContinuousUpdates: UInt8 = 150
        public static let clientFence: UInt8 = 248
    }

    /// Server message types (`vnc.server_message_type`).
    public enum ServerType {
        public static let framebufferUpdate: UInt8 = 0
        public static let setColourMapEntries: UInt8 = 1
        public static let bell: UInt8 = 2
        public static let serverCutText: UInt8 = 3
        public static let endOfContinuousUpdates: UInt8 = 150
        public static let serverFence: UInt8 = 248
    }

    /// One parsed unit: scalars and offsets into the bytes given to `parse`.
    public struct Message: ParsedMessage, Sendable, Equatable {
        public var direction: Direction
        public var kind: Kind
        public var length: Int
        /// The message type, or the `Step` number of a handshake step.
        public var code: UInt8 = 0
        /// Step- or type-specific: the version's minor number, the chosen security type, the
        /// security result status, the shared flag, a key's down flag, a pointer's button mask,
        /// a rectangle's encoding (as its bit pattern), a cut text's length.
        public var value: UInt32 = 0
        /// ServerInit's and a rectangle's or update request's size; a pointer's position.
        public var width: UInt16 = 0
        public var height: UInt16 = 0
        /// Items in the list at `listOffset`: security types (bytes), encodings (4 bytes each),
        /// rectangles of an update.
        public var count = 0
        public var listOffset = 0
        /// A reason string or desktop name, within `maxTextLength`.
        public var textOffset = 0
        public var textLength = 0
        public var anomalies = Anomalies(rawValue: 0)

        public init(direction: Direction, kind: Kind, length: Int) {
            self.direction = direction
            self.kind = kind
            self.length = length
        }

        public var isMessage: Bool { kind == .handshake || kind == .client || kind == .server }
        public var hasFunction: Bool { kind == .client || kind == .server }
        public var functionCode: Int {
            switch kind {
            case .server: VNC.serverCodeBase &+ Int(code)
            case .handshake: VNC.handshakeCodeBase &+ Int(code)
            default: Int(code)
            }
        }
    }

    public struct Anomalies: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The server offers (or, in 3.3, imposes) security type None: no authentication.
        public static let noAuthentication = Anomalies(rawValue: 1 << 0)
        /// The security result said failed, or the server offered no type at all.
        public static let authenticationFailed = Anomalies(rawValue: 1 << 1)
        /// A reason or desktop name longer than `maxTextLength`, or too many encodings: stepped over.
        public static let oversized = Anomalies(rawValue: 1 << 2)
        /// A message or encoding that cannot be sized: the direction is stepped over from here.
        public static let unsizable = Anomalies(rawValue: 1 << 3)
        /// Protocol 3.3: the server alone picks the security type (and only None or VNC auth).
        public static let legacyVersion = Anomalies(rawValue: 1 << 4)

        static let named: [(Anomalies, String)] = [
            (.noAuthentication, "vnc_no_auth"), (.authenticationFailed, "vnc_auth_failed"),
            (.oversized, "vnc_oversized"), (.unsizable, "vnc_unsizable"), (.legacyVersion, "vnc_legacy_version"),
        ]

        public var names: [String] { Self.named.compactMap { contains($0.0) ? $0.1 : nil } }
    }
}
