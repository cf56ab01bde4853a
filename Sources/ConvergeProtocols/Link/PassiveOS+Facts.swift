import ConvergeModel

extension PassiveOS {
    /// The events a SYN (the client's, `isServer` false) or SYN+ACK (the server's) yields about the
    /// host that sent it: an `os` fact with the guess (value the label, low or medium confidence) and
    /// a `fingerprint` fact `p0f=<signature>` (low confidence) so users can compare with p0f.
    public static func facts(
        for signature: PassiveOSSignature, address: IPAddress, time: Timestamp, isServer: Bool
    ) -> [AssetFact] {
        let source = isServer ? "tcp/syn+ack" : "tcp/syn"
        var facts: [AssetFact] = []
        if let guess = guess(signature) {
            var fact = AssetFact(time: time, address: address, kind: .os, value: guess.label, source: source)
            fact.confidence = guess.confidence
            facts.append(fact)
        }
        var fingerprint = AssetFact(
            time: time, address: address, kind: .fingerprint, value: "p0f=" + signature.p0fText, source: source)
        fingerprint.confidence = .low
        facts.append(fingerprint)
        return facts
    }
}
