import ConvergeModel

extension PNIOCM {
    /// Roles and names: the device answering PNIO-Device calls is an `io_device`; the requester
    /// of a Connect names itself in the AR block (CMInitiatorStationName) and is an `io_controller`.
    /// The other way round, a device calls the controller's CControl interface (ApplicationReady):
    /// that requester is an `io_device`, the one answering an `io_controller`.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        let sender = context.direction == .toClient ? context.server : context.client
        func fact(_ kind: AssetFact.Kind, _ value: String) -> AssetFact {
            AssetFact(time: context.time, address: sender.address, kind: kind, value: value, source: name)
        }
        var facts: [AssetFact] = []
        if parsed.interface == .device, parsed.packetType == PacketType.response {
            facts.append(fact(.role, "io_device"))
        }
        if parsed.interface == .controller, parsed.isFirstFragment {
            if parsed.isRequest { facts.append(fact(.role, "io_device")) }
            if parsed.packetType == PacketType.response { facts.append(fact(.role, "io_controller")) }
        }
        if parsed.hasARBlock, parsed.isRequest {
            facts.append(fact(.role, "io_controller"))
            if let station = stationName(parsed, bytes: bytes) { facts.append(fact(.moduleName, station)) }
        }
        return facts
    }
}
