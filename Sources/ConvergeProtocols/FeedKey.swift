import ConvergeModel

/// A message's shape, read off its parsed frame before any event exists: on one flow, two
/// messages with equal keys make events with the same protocol name, direction, function code
/// and name, operation, kind of status and anomalies. They may differ in everything else
/// (targets, values, round trip, time); the unit they address comes with the key.
/// The detection feed asks its detectors once per key and flow what such messages need
/// (`FeedVerdict`); a dissector returns nil for any message it cannot key that way, and that
/// message is always built.
public struct FeedKey: Hashable, Sendable {
    public var bits: UInt64
    /// `Message.unit` of the message's event.
    public var unit: Int?

    public init(_ bits: UInt64, unit: Int?) {
        self.bits = bits
        self.unit = unit
    }

    /// The direction's bit, for dissectors composing a key.
    @inline(__always)
    public static func bit(_ direction: Direction) -> UInt64 { direction == .toServer ? 1 : 0 }
}
