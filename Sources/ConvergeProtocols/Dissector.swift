import ConvergeModel
import ConvergeWire

/// Why a dissector could not take a message from the bytes it was given.
public enum DissectError: Error, Sendable, Equatable {
    /// The stream holds only part of a message; at least this many bytes in all are needed.
    case needMore(Int)
    /// These bytes cannot be this protocol (framing broken): the caller resynchronises.
    case malformed(String)
}

/// How sure a probe is that a flow carries its protocol.
public enum ProbeResult: Sendable, Equatable {
    case match
    case reject
    /// Too few bytes to decide yet.
    case needMore
}

/// One application message as a dissector parsed it, before it is normalised into a `Message`
/// event. Concrete types are plain structs, so parsing allocates nothing on the hot path.
public protocol ParsedMessage: Sendable {
    /// The function code Wireshark counts for this protocol (e.g. `modbus.func_code`).
    var functionCode: Int { get }
    /// Whether a function code was present at all (a malformed frame may have none).
    var hasFunction: Bool { get }
    /// False for bytes a dissector only stepped over (encrypted records, message bodies): they are
    /// neither counted as messages nor turned into events.
    var isMessage: Bool { get }
}

extension ParsedMessage {
    public var isMessage: Bool { true }
}

/// A protocol dissector (STYLE.md): pure parse functions, per-flow state kept outside by the flow.
public protocol Dissector {
    associatedtype Parsed: ParsedMessage
    associatedtype State: Sendable

    /// The name used in summaries and events (`modbus`, `dnp3`, …).
    static var name: String { get }
    /// Every `Message.proto` the dissector's events carry: its `name` by default (EtherNet/IP's
    /// events are `cip` as well). Whoever decides per protocol whether events need their targets
    /// asks for these names before an event exists.
    static var eventProtocols: [String] { get }
    /// Ports that hint at the protocol; `probe` decides.
    static var portHints: PortHints { get }
    /// Fresh per-flow state.
    static func makeState() -> State
    /// Whether the first bytes of a flow (in `direction`) look like this protocol.
    static func probe(_ bytes: Span<UInt8>, direction: Direction) -> ProbeResult
    /// Takes one message from the front of `bytes`, returning it and how many bytes it used.
    static func parse(
        _ bytes: Span<UInt8>, direction: Direction, time: Timestamp, state: inout State
    ) throws(DissectError) -> (message: Parsed, consumed: Int)
    /// After a gap in the stream or broken framing: the offset of the next plausible message
    /// start in `bytes`, or nil when none is in sight (the caller then drops these bytes).
    static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int?
    /// What a message reveals about the devices (identity replies); called only when something
    /// consumes events. `bytes` is the span given to `parse`; `state` is the flow's state after it
    /// (a protocol that reassembles keeps the message body there).
    static func facts(_ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact]
    /// Process values a message carries (register reads and writes, set-points …), from its
    /// parsed form and its event.
    static func processValues(_ parsed: Parsed, event: Message, bytes: Span<UInt8>, context: MessageContext) -> [ProcessValue]
    /// The same with the flow's state after the message, for a protocol that reassembles a message
    /// from several frames and keeps it there (DNP3); by default the stateless form above.
    static func processValues(
        _ parsed: Parsed, event: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [ProcessValue]
    /// The key a function code is counted under in summaries: the decimal code by default; a
    /// protocol with two overlapping numbering spaces (BACnet) says which space a code is from.
    static func functionKey(_ code: Int) -> String
    /// The name secondary function codes are counted under (EtherNet/IP: `cip`), nil for none.
    static var subFunctionsName: String? { get }
    /// Each secondary function code a message carries (the CIP services inside an EtherNet/IP
    /// message, nested ones included), for counting under `subFunctionsName`.
    static func forEachSubFunction(_ parsed: Parsed, bytes: Span<UInt8>, _ body: (Int) -> Void)
    /// The normalised event for a parsed message; called only when something consumes events.
    static func event(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message
    /// For the inventory's feed, which counts operations without building events: the operation a
    /// message asks for when it is a request, nil when it answers one (or asks nothing). By default
    /// read off the event (which allocates); the protocols that carry most traffic answer directly.
    static func requestOperation(
        _ parsed: Parsed, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation?
    /// The message's shape for the detection feed's gate (`FeedKey`), nil when it must always
    /// become an event. Nil by default. `state` is the flow's state after the message, as `event`
    /// would see it.
    static func feedKey(_ parsed: Parsed, state: borrowing State) -> FeedKey?
    /// Whether `facts` can say anything about this message, for the feed: `always` (an identity
    /// reply), `never`, or `sample` (facts may come with any message, mostly the same ones again:
    /// the feed asks for the first few of each sender). By default `sample`.
    static func identityHint(_ parsed: Parsed) -> IdentityHint
}

/// See `Dissector.identityHint`.
public enum IdentityHint: Sendable {
    case never, sample, always
}

extension Dissector {
    public static func requestOperation(
        _ parsed: Parsed, bytes: Span<UInt8>, direction: Direction, state: inout State
    ) -> Operation? {
        let unknown = Endpoint(address: .none, port: 0)
        let context = MessageContext(time: .zero, flowID: 0, client: unknown, server: unknown, direction: direction)
        return Self.requestOperation(of: event(parsed, bytes: bytes, context: context, state: &state))
    }

    /// A paired response carries its round trip; a request still waiting is `pending`; an unpaired
    /// message is a request when it travels to the server (the inventory reads events the same way).
    public static func requestOperation(of message: Message) -> Operation? {
        if message.roundTripNanoseconds != nil { return nil }
        if message.status == .pending { return message.operation }
        return message.direction == .toServer ? message.operation : nil
    }

    public static func identityHint(_ parsed: Parsed) -> IdentityHint { .sample }

    public static func feedKey(_ parsed: Parsed, state: borrowing State) -> FeedKey? { nil }

    /// `requestOperation(of:)` for a dissector that knows its message's status without an event:
    /// `pending` (a request awaiting its answer), `paired` (an answer with its round trip).
    @inline(__always)
    public static func requestOperation(
        _ operation: Operation, pending: Bool, paired: Bool, direction: Direction
    ) -> Operation? {
        if paired { return nil }
        if pending { return operation }
        return direction == .toServer ? operation : nil
    }
}

/// Where a message travelled, for building its event.
public struct MessageContext: Sendable {
    public var time: Timestamp
    public var flowID: UInt64
    public var client: Endpoint
    public var server: Endpoint
    public var direction: Direction
    /// Which events whoever reads them looks at the targets of (the detection feed: those a rule
    /// or the baseline reads). A dissector may leave `Message.targets` empty in the others and
    /// skip building them, the costliest part of most events.
    public var targetNeed: TargetNeed
    public init(
        time: Timestamp, flowID: UInt64, client: Endpoint, server: Endpoint, direction: Direction,
        wantsTargets: Bool = true
    ) {
        self.time = time
        self.flowID = flowID
        self.client = client
        self.server = server
        self.direction = direction
        self.targetNeed = wantsTargets ? .all : .none
    }

    /// Whether some messages' targets are read (a dissector that does not name its function
    /// before building targets asks this).
    public var wantsTargets: Bool { targetNeed != .none }

    /// Whether the targets of a message of this function are read.
    public func wantsTargets(function name: String) -> Bool { targetNeed.wants(function: name) }
}


/// The transport ports a protocol usually listens on.
public struct PortHints: Sendable {
    public var tcp: [UInt16]
    public var udp: [UInt16]
    public init(tcp: [UInt16] = [], udp: [UInt16] = []) {
        self.tcp = tcp
        self.udp = udp
    }
}

extension Dissector {
    public static func facts(
        _ parsed: Parsed, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] { [] }
    public static func processValues(
        _ parsed: Parsed, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] { [] }
    public static func processValues(
        _ parsed: Parsed, event: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [ProcessValue] {
        processValues(parsed, event: event, bytes: bytes, context: context)
    }
    public static func functionKey(_ code: Int) -> String { String(code) }
    public static var eventProtocols: [String] { [name] }
    public static var subFunctionsName: String? { nil }
    public static func forEachSubFunction(_ parsed: Parsed, bytes: Span<UInt8>, _ body: (Int) -> Void) {}

    /// Protocols without a way to find a message boundary mid-stream wait for the next segment.
    public static func resynchronize(_ bytes: Span<UInt8>, direction: Direction) -> Int? { nil }
}
