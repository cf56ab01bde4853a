import ConvergeModel

extension MQTT {
    /// Role hints written as `AssetFact.Kind.role` values.
    public enum Role {
        public static let client = "mqtt_client"
        public static let broker = "mqtt_broker"
        public static let sparkplugEdgeNode = "sparkplug_edge_node"
        public static let sparkplugHostApplication = "sparkplug_host_application"
    }

    /// What a packet says about the endpoints: a CONNECT names the client (its client id) and
    /// makes the server a broker; Sparkplug B topics tell edge nodes (which publish births, deaths
    /// and data, and receive commands) from host applications (which publish commands and STATE).
    /// Only packets the client itself sends, or commands addressed to it, describe the client: a
    /// broker forwarding someone else's NBIRTH says nothing about the subscriber.
    public static func facts(_ packet: Packet, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        var facts: [AssetFact] = []
        func fact(_ endpoint: Endpoint, _ kind: AssetFact.Kind, _ value: String, _ source: String) {
            guard !value.isEmpty else { return }
            facts.append(AssetFact(
                time: context.time, address: endpoint.address, kind: kind, value: value, source: source))
        }
        switch packet.type {
        case .connect where packet.direction == .toServer && !packet.anomalies.contains(.invalidProtocol):
            fact(context.client, .role, Role.client, "mqtt/connect")
            fact(context.server, .role, Role.broker, "mqtt/connect")
            fact(context.client, .moduleName, text(bytes, packet.clientID), "mqtt/connect.client_id")
            if packet.willTopic.isPresent, case .topic(let will) = Sparkplug.parse(bytes, packet.willTopic),
                will.type == .ndeath
            {
                // An edge node registers its NDEATH as its will (Sparkplug 3.0 §7.1).
                fact(context.client, .role, Role.sparkplugEdgeNode, "mqtt/connect.will")
                fact(context.client, .moduleName, nodeName(bytes, will), "mqtt/connect.will")
            }
        case .publish:
            guard let sparkplug = packet.sparkplug else { break }
            let source = "mqtt/sparkplug." + sparkplug.type.name
            let type = sparkplug.type
            if packet.direction == .toServer && (type == .state || type.isCommand) {
                fact(context.client, .role, Role.sparkplugHostApplication, source)
                if type == .state { fact(context.client, .moduleName, text(bytes, sparkplug.node), source) }
            } else if packet.direction == .toServer || type.isCommand {
                // Births, deaths and data come from the node; commands forwarded to a client are its own.
                let node = nodeName(bytes, sparkplug)
                fact(context.client, .role, Role.sparkplugEdgeNode, source)
                fact(context.client, .moduleName, node, source)
                if sparkplug.device.isPresent {
                    // The device sits behind the edge node: recorded against the node's address.
                    fact(context.client, .moduleName, node + "/" + text(bytes, sparkplug.device), source)
                }
                if packet.direction == .toServer {
                    facts += sparkplugBirthFacts(packet, sparkplug, bytes: bytes, context: context)
                }
            }
        default:
            break
        }
        return facts
    }

    /// `group/edge node` of a Sparkplug topic.
    static func nodeName(_ bytes: Span<UInt8>, _ topic: Sparkplug.Topic) -> String {
        text(bytes, topic.group) + "/" + text(bytes, topic.node)
    }
}

extension MQTT {
    /// The `Dissector` requirement: identity needs nothing from the flow's state here.
    public static func facts(
        _ packet: Packet, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        facts(packet, bytes: bytes, context: context)
    }
}
