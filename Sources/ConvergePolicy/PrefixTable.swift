/// Longest-prefix match over the 128-bit address space: one hash table per prefix length in
/// use, probed from the longest length down. A lookup costs at most one hash probe per distinct
/// length (a handful in a real policy, 129 at worst), whatever the number of prefixes.
public struct PrefixTable<Value: Sendable>: Sendable {
    private var byLength: [Int: [UInt128: Value]] = [:]
    /// The lengths in use, longest first.
    private var lengths: [Int] = []

    public init() {}

    /// Stores `value` for `prefix`, unless a value is there already: the first wins, which is how
    /// the policy resolves two zones claiming the same block. Returns the value kept.
    @discardableResult
    public mutating func insert(_ prefix: CIDR, _ value: Value) -> Value {
        if let existing = byLength[prefix.length]?[prefix.network] { return existing }
        if byLength[prefix.length] == nil {
            byLength[prefix.length] = [:]
            lengths.append(prefix.length)
            lengths.sort(by: >)
        }
        byLength[prefix.length]?[prefix.network] = value
        return value
    }

    /// The value of the longest prefix holding `bits`, with that prefix's length.
    public func longestMatch(_ bits: UInt128) -> (value: Value, length: Int)? {
        for length in lengths {
            if let value = byLength[length]?[bits & CIDR.mask(length)] { return (value, length) }
        }
        return nil
    }

    /// The value stored for exactly this prefix.
    public func exact(_ prefix: CIDR) -> Value? { byLength[prefix.length]?[prefix.network] }

    /// The longest prefix strictly shorter than `prefix` that contains it.
    public func enclosing(_ prefix: CIDR) -> (value: Value, length: Int)? {
        for length in lengths where length < prefix.length {
            if let value = byLength[length]?[prefix.network & CIDR.mask(length)] { return (value, length) }
        }
        return nil
    }

    public var isEmpty: Bool { lengths.isEmpty }
}
