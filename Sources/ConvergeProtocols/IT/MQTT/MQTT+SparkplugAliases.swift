extension MQTT.Sparkplug {
    /// Metric names learned from the BIRTH messages seen on one flow, by edge node and alias
    /// (Sparkplug 3.0 §6.4.4: an alias is unique across an edge node and all its devices), so that
    /// DATA and CMD messages that send only the alias can be named. Bounded by `capacity`; an
    /// NBIRTH forgets what the node's previous birth defined.
    public struct Aliases: Sendable {
        /// At most this many aliases per flow; more are not learned (and flagged).
        public static let capacity = 1024

        struct Key: Hashable, Sendable {
            var node: String
            var alias: UInt64
        }

        private var names: [Key: String] = [:]

        public init() {}

        public var count: Int { names.count }

        /// Drops every alias of `node` (`group/edge node`): a new NBIRTH redefines them all.
        mutating func forget(node: String) {
            guard names.keys.contains(where: { $0.node == node }) else { return }
            names = names.filter { $0.key.node != node }
        }

        /// Records `name` for the alias; false when the table is full and it was not recorded.
        mutating func learn(node: String, alias: UInt64, name: String) -> Bool {
            let key = Key(node: node, alias: alias)
            if names[key] == nil && names.count >= Self.capacity { return false }
            names[key] = name
            return true
        }

        public func name(node: String, alias: UInt64) -> String? {
            names[Key(node: node, alias: alias)]
        }
    }
}
