import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// Calls `body` with the code of every CIP service in the message, as Wireshark counts
    /// `cip.sc`: the code without the response bit (0x80), the top-level service first, then
    /// depth-first the services of each Multiple Service Packet and the request an Unconnected
    /// Send carries (its success reply is the embedded service's reply, so counts once). Nested at
    /// most `maxNesting` deep. `bytes` is the span given to `parse`. Allocates nothing, so the
    /// engine can count `cip` functions per packet.
    public static func forEachCIPService(_ frame: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void) {
        guard let cip = frame.cip, bytes.count >= frame.totalLength else { return }
        visitCIP(bytes.extracting(0..<frame.totalLength), cip, depth: 0, body)
    }

    static func visitCIP(_ message: Span<UInt8>, _ cip: CIPMessage, depth: Int, _ body: (Int) -> Void) {
        body(Int(cip.code))
        guard depth < maxNesting else { return }
        var scratch = Anomalies(rawValue: 0)
        if !cip.isResponse, cip.code == Service.unconnectedSend, cip.path.classID == ObjectClass.connectionManager {
            if let inner = parseUnconnectedSend(message, cip: cip, anomalies: &scratch) {
                visitCIP(message, inner, depth: depth &+ 1, body)
            }
        } else if cip.code == Service.multipleServicePacket {
            forEachEmbeddedService(message, in: cip) { offset, length in
                guard let inner = parseCIP(message, offset: offset, length: length, anomalies: &scratch) else { return }
                visitCIP(message, inner, depth: depth &+ 1, body)
            }
        }
    }
}

extension EtherNetIP {
    /// CIP services are counted under `cip`, as Wireshark's `cip.sc`.
    public static var subFunctionsName: String? { "cip" }

    public static func forEachSubFunction(_ frame: Frame, bytes: Span<UInt8>, _ body: (Int) -> Void) {
        forEachCIPService(frame, bytes: bytes, body)
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
