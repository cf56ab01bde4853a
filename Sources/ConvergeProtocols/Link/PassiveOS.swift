import ConvergeModel

/// Passive operating-system hints from a TCP SYN or SYN+ACK (p0f-style): the initial TTL, window,
/// MSS, window scale and TCP option order a stack sends are set by its kernel, so they name the
/// operating system family and often a version range. Hints only: a middlebox, a tuned sysctl or a
/// userland stack changes them, so the confidence is never `high`.
public enum PassiveOS {
    /// The best match for `signature` in the table (`PassiveOS+Table.swift`), falling back to what the
    /// initial TTL alone suggests; nil when not even the TTL says anything.
    public static func guess(_ signature: PassiveOSSignature) -> PassiveOSGuess? {
        for rule in table where rule.matches(signature) {
            return PassiveOSGuess(
                family: rule.family, label: rule.label, confidence: rule.confidence, reason: reason(signature))
        }
        return nil
    }

    /// `ttl=128 win=64240 mss=1460 ws=8 opts=M,N,W,N,N,S`, the facts the guess rests on (TTL shown as
    /// `observed/initial` when the packet crossed routers).
    public static func reason(_ sig: PassiveOSSignature) -> String {
        var text = "ttl=" + String(sig.ttl)
        if sig.ttl != sig.initialTTL { text += "/" + String(sig.initialTTL) }
        text += " win=" + String(sig.window)
        if let mss = sig.mss { text += " mss=" + String(mss) }
        if let scale = sig.windowScale { text += " ws=" + String(scale) }
        text += " opts=" + compactLayout(sig)
        if sig.dontFragment { text += " df" }
        return text
    }

    /// One letter an option (M mss, N nop, W window scale, S SACK permitted, K SACK, T timestamp,
    /// E end of list), `?n` for other kinds; `-` when there are none.
    public static func compactLayout(_ sig: PassiveOSSignature) -> String {
        guard sig.options.count > 0 else { return "-" }
        var letters: [String] = []
        for index in 0..<Int(sig.options.count) {
            let kind = sig.options[index]
            switch kind {
            case PassiveOSSignature.OptionLayout.eol: letters.append("E")
            case PassiveOSSignature.OptionLayout.nop: letters.append("N")
            case PassiveOSSignature.OptionLayout.mss: letters.append("M")
            case PassiveOSSignature.OptionLayout.windowScale: letters.append("W")
            case PassiveOSSignature.OptionLayout.sackPermitted: letters.append("S")
            case PassiveOSSignature.OptionLayout.sack: letters.append("K")
            case PassiveOSSignature.OptionLayout.timestamp: letters.append("T")
            default: letters.append("?" + String(kind))
            }
        }
        return letters.joined(separator: ",")
    }
}

/// An operating-system hint: a family, a label with the version range the signature allows, how far
/// to trust it and the observed values it rests on.
public struct PassiveOSGuess: Sendable, Hashable {
    public enum Family: String, Sendable, Hashable {
        case linux, windows, apple, freeBSD = "freebsd", openBSD = "openbsd", solaris
        /// A Unix-like stack the table cannot place (TTL 64, options of no known kernel).
        case unix
        /// Small TCP/IP stacks in controllers, field devices and appliances (RTOS, lwIP, vendor stacks).
        case embedded
        /// Routers, switches and firewalls (TTL 255 stacks).
        case networkDevice = "network_device"
    }

    public var family: Family
    /// `Linux 4.19+`, `Windows 10/11 or Server 2016+`, `Embedded stack (MSS only)`.
    public var label: String
    /// `.low` or `.medium`, never `.high`.
    public var confidence: AssetFact.Confidence
    public var reason: String

    public init(family: Family, label: String, confidence: AssetFact.Confidence, reason: String) {
        self.family = family
        self.label = label
        self.confidence = confidence == .high ? .medium : confidence
        self.reason = reason
    }
}
