import ConvergeModel

extension VNC {
    /// Where one direction of the connection is in the protocol.
    public enum Phase: UInt8, Sendable {
        case version
        /// Server: the security types (3.7, 3.8) or the chosen type (3.3).
        case security
        /// Server: waiting for the client's choice before its next bytes can be read.
        case awaitingClient
        /// Client (3.3): waiting for the server's chosen type.
        case awaitingServer
        /// Client: the chosen security type (3.7, 3.8).
        case securitySelection
        case challenge, response, securityResult, clientInit, serverInit
        case messages
        /// Given up: everything is stepped over (an opaque security type, a failed
        /// authentication, a message that cannot be sized).
        case opaque
    }

    /// One direction's progress: its phase, bytes still to step over, rectangles still to walk.
    public struct Lane: Sendable, Equatable {
        public var phase: Phase = .version
        public var skip: UInt64 = 0
        public var rectangles: UInt16 = 0
    }

    /// Per-flow state: both directions' lanes and what the handshake settled.
    public struct State: Sendable {
        public internal(set) var client = Lane()
        public internal(set) var server = Lane()
        /// Minor versions (3.x) each side announced; 0 until seen.
        public internal(set) var serverMinor: UInt16 = 0
        public internal(set) var clientMinor: UInt16 = 0
        /// The security type the client chose (3.7+) or the server imposed (3.3).
        public internal(set) var securityType: UInt8?
        /// Bytes per pixel of framebuffer updates: ServerInit's format, then SetPixelFormat's.
        public internal(set) var bytesPerPixel: UInt8 = 4
        public internal(set) var authenticationFailed = false

        public init() {}

        func lane(_ direction: Direction) -> Lane { direction == .toServer ? client : server }

        mutating func setLane(_ direction: Direction, _ lane: Lane) {
            if direction == .toServer { client = lane } else { server = lane }
        }

        /// The version both follow: the client's answer when seen (the server adopts it), else
        /// the server's; 3.3 for anything below 3.7, 3.8 for anything above (Apple's 3.889).
        var minor: UInt16 {
            let announced = clientMinor != 0 ? clientMinor : serverMinor
            return announced >= 8 ? 8 : announced == 7 ? 7 : 3
        }
    }
}
