import ConvergeModel

extension PassiveOS {
    /// One line of the signature table: what a stack's SYN or SYN+ACK must look like, and what it is.
    struct Rule: Sendable {
        enum Direction: Sendable { case syn, synAck, either }

        enum Window: Sendable {
            case any
            case exact(UInt16)
            /// The window is `n` times the MSS (or the MSS less 12 timestamp bytes) for `n` in the range.
            case mssMultiple(ClosedRange<Int>)
            /// At most this many bytes.
            case atMost(UInt16)
        }

        enum Scale: Sendable {
            case any
            /// No window-scale option.
            case absent
            case within(ClosedRange<UInt8>)
        }

        enum MSS: Sendable {
            case any
            /// Loopback interfaces have MTUs of 16 KiB and more; Ethernet MSS is at most 1460.
            case atLeast(UInt16)
            /// The window is this many MSS (lwIP's default is 4).
            case windowIsMultiple(Int)
        }

        var family: PassiveOSGuess.Family
        var label: String
        var confidence: AssetFact.Confidence
        var initialTTL: UInt8
        /// Options in order; nil matches any layout.
        var layout: PassiveOSSignature.OptionLayout?
        var window: Window = .any
        var scale: Scale = .any
        var mss: MSS = .any
        var direction: Direction = .either
        /// IPv4 DF must be set (ignored for IPv6, which has none).
        var requiresDF = false

        func matches(_ sig: PassiveOSSignature) -> Bool {
            guard sig.initialTTL == initialTTL else { return false }
            switch direction {
            case .syn: guard !sig.isSynAck else { return false }
            case .synAck: guard sig.isSynAck else { return false }
            case .either: break
            }
            if let layout, layout != sig.options { return false }
            if requiresDF, sig.ipVersion == 4, !sig.dontFragment { return false }
            return windowMatches(sig) && scaleMatches(sig) && mssMatches(sig)
        }

        func windowMatches(_ sig: PassiveOSSignature) -> Bool {
            switch window {
            case .any: return true
            case .exact(let value): return sig.window == value
            case .atMost(let value): return sig.window <= value
            case .mssMultiple(let range):
                guard let multiple = Self.mssMultiple(sig) else { return false }
                return range.contains(multiple)
            }
        }

        func scaleMatches(_ sig: PassiveOSSignature) -> Bool {
            switch scale {
            case .any: return true
            case .absent: return sig.windowScale == nil
            case .within(let range):
                guard let shift = sig.windowScale else { return false }
                return range.contains(shift)
            }
        }

        func mssMatches(_ sig: PassiveOSSignature) -> Bool {
            switch mss {
            case .any: return true
            case .atLeast(let value):
                guard let mss = sig.mss else { return false }
                return mss >= value
            case .windowIsMultiple(let n):
                guard let mss = sig.mss, mss > 0 else { return false }
                return Int(sig.window) == Int(mss) &* n
            }
        }

        /// How many MSS the window is (p0f's candidates, `PassiveOSSignature.windowMultiple`); nil for
        /// an MTU multiple or none.
        static func mssMultiple(_ sig: PassiveOSSignature) -> Int? {
            guard let (multiple, ofMTU) = sig.windowMultiple, !ofMTU else { return nil }
            return multiple
        }
    }

    /// A layout from the compact letters `PassiveOS.compactLayout` prints (`M,N,W,N,N,S`).
    static func layout(_ letters: String) -> PassiveOSSignature.OptionLayout {
        var layout = PassiveOSSignature.OptionLayout()
        for letter in letters.split(separator: ",") {
            switch letter {
            case "E": layout.append(PassiveOSSignature.OptionLayout.eol)
            case "N": layout.append(PassiveOSSignature.OptionLayout.nop)
            case "M": layout.append(PassiveOSSignature.OptionLayout.mss)
            case "W": layout.append(PassiveOSSignature.OptionLayout.windowScale)
            case "S": layout.append(PassiveOSSignature.OptionLayout.sackPermitted)
            case "K": layout.append(PassiveOSSignature.OptionLayout.sack)
            case "T": layout.append(PassiveOSSignature.OptionLayout.timestamp)
            default: break
            }
        }
        return layout
    }
}
