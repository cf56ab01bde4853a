import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// Calls `body` with the code of every CIP service in the message, as Wireshark counts
    /// `cip.sc`: the code without the response bit (0x80), the top-level service first, then
    /// depth-first the services of each Multiple Service Packet and the request an Unconnected
    /// Send carries (its success reply is the embedded service's reply, so counts once). Nested at
    /// most `maxNesting` deep. `bytes` is the span given to `parse`. Allocates nothing and re-parses
    /// nothing `parse` kept: the engine calls it for every message.
    public static func forEachCIPService(_ frame: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void) {
        forEachCIPService(frame, bytes: bytes, body, countingTop: true)
    }

    /// `forEachCIPService`, the top-level service left out unless `countingTop`.
    @usableFromInline
    static func forEachCIPService(_ frame: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void, countingTop: Bool) {
        guard let code = frame.cip?.code else { return }
        if countingTop { body(Int(code)) }
        // Only a Multiple Service Packet or an Unconnected Send request holds more services.
        guard frame.cipCarriesServices, bytes.count >= frame.totalLength, let cip = frame.cip else { return }
        let message = bytes.extracting(0..<frame.totalLength)
        if let embedded = frame.embedded {
            // What parse took out of the Unconnected Send.
            visitCIP(message, embedded, depth: 1, body)
        } else {
            visitCarried(message, cip, depth: 0, body)
        }
    }

    /// Counts `cip` and what it carries, `depth` levels below the top.
    static func visitCIP(_ message: Span<UInt8>, _ cip: CIPMessage, depth: Int, _ body: (Int) -> Void) {
        body(Int(cip.code))
        visitCarried(message, cip, depth: depth, body)
    }

    /// Counts the services `cip` carries: the request of an Unconnected Send, the services of a
    /// Multiple Service Packet.
    static func visitCarried(_ message: Span<UInt8>, _ cip: CIPMessage, depth: Int, _ body: (Int) -> Void) {
        guard depth < maxNesting else { return }
        if !cip.isResponse, cip.code == Service.unconnectedSend, cip.path.classID == ObjectClass.connectionManager {
            var scratch = Anomalies(rawValue: 0)
            if let inner = parseUnconnectedSend(message, cip: cip, anomalies: &scratch) {
                visitCIP(message, inner, depth: depth &+ 1, body)
            }
        } else {
            visitEmbedded(message, cip, depth: depth, body)
        }
    }

    /// The services of a Multiple Service Packet (nothing for other services). A service that
    /// cannot carry more is counted from its first byte alone; only nested carriers are parsed.
    static func visitEmbedded(_ message: Span<UInt8>, _ cip: CIPMessage, depth: Int, _ body: (Int) -> Void) {
        guard cip.code == Service.multipleServicePacket else { return }
        forEachEmbeddedService(message, in: cip) { offset, length in
            guard let service = u8(message, offset) else { return }
            let code = service & 0x7f
            let carries = code == Service.multipleServicePacket || (code == Service.unconnectedSend && service & 0x80 == 0)
            guard carries, depth &+ 1 < maxNesting else {
                body(Int(code))
                return
            }
            var scratch = Anomalies(rawValue: 0)
            guard let inner = parseCIP(message, offset: offset, length: length, anomalies: &scratch) else { return }
            visitCIP(message, inner, depth: depth &+ 1, body)
        }
    }
}

extension EtherNetIP {
    /// CIP services are counted under `cip`, as Wireshark's `cip.sc`.
    public static var subFunctionsName: String? { "cip" }

    /// `forEachCIPService`, inlined into the engine's counting loop: most messages carry one
    /// service or none, counted here without handing the frame to a call (which copies it).
    @inlinable
    public static func forEachSubFunction(_ frame: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void) {
        guard let service = frame.cip?.service else { return }
        body(Int(service & 0x7f))
        let code = service & 0x7f
        guard code == Service.multipleServicePacket || service == Service.unconnectedSend else { return }
        forEachCIPService(frame, bytes: bytes, body, countingTop: false)
    }

    /// The `Dissector` requirements: identity and tag values need nothing from the flow's state.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        facts(frame, bytes: bytes, context: context)
    }

    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        processValues(event)
    }
}
